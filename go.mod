module github.com/partnergate/partnergate

go 1.26
