package edi

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/canonical"
)

// testDelimiters are the delimiters of the literal sets in these tests.
var testDelimiters = DefaultDelimiters

// parseSet builds a Transaction from the first ST…SE set of a literal, with
// '*' and '~' as delimiters; whitespace around segments is ignored, as is
// anything before the ST or after the SE. The set has no envelope. Like the
// Reader's, its segments are slices of one buffer.
func parseSet(tb testing.TB, raw string) *Transaction {
	tb.Helper()
	t := &Transaction{}
	buf := []byte(raw)
	for start := 0; start < len(buf); {
		end := bytes.IndexByte(buf[start:], '~')
		if end < 0 {
			end = len(buf)
		} else {
			end += start
		}
		part := bytes.TrimSpace(buf[start:end])
		start = end + 1
		if len(part) == 0 || (len(t.Segments) == 0 && !bytes.HasPrefix(part, []byte("ST*"))) {
			continue
		}
		seg := ParseSegment(&testDelimiters, part)
		seg.Position = len(t.Segments) + 1
		t.Segments = append(t.Segments, seg)
		if seg.Is("SE") {
			break
		}
	}
	if len(t.Segments) == 0 {
		tb.Fatalf("parseSet: no ST in %q", raw)
	}
	t.SetID, t.ControlNumber = t.Segments[0].Value(1), t.Segments[0].Value(2)
	return t
}

// scattered returns a copy of t whose segments each have a buffer of their
// own, as segments built by NewSegment have.
func scattered(t *Transaction) *Transaction {
	c := *t
	c.Segments = make([]Segment, len(t.Segments))
	for i := range t.Segments {
		c.Segments[i] = ParseSegment(&testDelimiters, bytes.Clone(t.Segments[i].Raw()))
		c.Segments[i].Position = t.Segments[i].Position
	}
	return &c
}

// strayMiddle returns a copy of t whose middle segments lie elsewhere than
// its first and last ones, which stay contiguous.
func strayMiddle(t *Transaction) *Transaction {
	c := *scattered(t)
	c.Segments[1], c.Segments[len(c.Segments)-2] = t.Segments[1], t.Segments[len(t.Segments)-2]
	return &c
}

// readSet writes t in an interchange and reads it back with the Reader,
// so that its segments are contiguous, and forgets the element ends the
// Reader's fast path recorded, so that they are not yet split into
// elements, as the segments its general path reads are before validation.
// The set returned has no envelope.
func readSet(tb testing.TB, t *Transaction) *Transaction {
	tb.Helper()
	read, _ := firstSet(tb, []byte(envelopeSet(t)))
	body := read.Body()
	for i := range body {
		body[i].lo, body[i].hi, body[i].ctrl = 0, 0, ctrlUnknown
	}
	c := *read
	c.Group = nil // as parseSet's, the set has no envelope
	return &c
}

// envelopeSet writes t in an interchange of one group.
func envelopeSet(t *Transaction) string {
	var b strings.Builder
	b.WriteString("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *250301*1200*U*00401*000000001*0*P*>~\n")
	b.WriteString("GS*" + functionalIDs[t.SetID] + "*SENDER*RECEIVER*20250301*1200*1*X*004010~\n")
	for i := range t.Segments {
		b.WriteString(t.Segments[i].String() + "\n")
	}
	b.WriteString("GE*1*1~\nIEA*1*000000001~\n")
	return b.String()
}

// pids builds product IDs from alternating qualifiers and values.
func pids(qv ...string) canonical.ProductIDs {
	out := make(canonical.ProductIDs, 0, len(qv)/2)
	for i := 0; i+1 < len(qv); i += 2 {
		out = append(out, canonical.ProductID{Qualifier: qv[i], Value: qv[i+1]})
	}
	return out
}

// sourceOf is the source ToCanonical gives a set built by parseSet.
func sourceOf(set, control string) canonical.Source {
	return canonical.Source{Format: canonical.FormatX12, Set: set, TransactionControl: control}
}

const fixture850 = `
ST*850*0001~
BEG*00*SA*HL-44871**20250301~
CUR*BY*USD~
REF*DP*038~
REF*IA*77120*Vendor number~
ITD*14*3*2**10**30~
DTM*002*20250314~
DTM*010*20250310~
DTM*001*20250320~
DTM*037*20250308~
DTM*038*20250311~
DTM*063*20250318~
DTM*064*20250312~
DTM*010*20250401~
TD5**2*BLUF*M*BLUEFIN FREIGHT*******ST~
FOB*PP~
N9*L1*SPECIAL INSTRUCTIONS~
MSG*Deliver to rear dock~
MSG*Call 2h before arrival~
N9*ZZ*PROMO-7~
N1*ST*Harborlight Home DC 4*92*0004~
N2*Receiving*Building B~
N3*1200 Quarry Rd*Dock 7~
N4*Dayton*OH*45402*US~
N1*BT*Harborlight Home Inc*1*123456789~
N3*PO Box 55~
N4*Columbus*OH*43085~
N1*XX*Odd Party~
PO1*1*120*EA*9.25*PE*IN*88812*BP*KT-100-B*UP*012345678905*VN*KT-100~
PID*F****Kettle, enamel, 2 qt~
PID*F****second description is ignored~
PO1*2*6.5*LB*+3.10*UM*EN*4006381333931*SK*COFFEE-DK~
REF*PD*SPRING~
N1*ST**92*0117~
N3*40 Harbor St~
N4*Salem*MA*01970~
PO1*003*0012*CA*.5**LT*L2025-03*MG*MX-9~
CTT*3*138.5~
SE*35*0001~`

func expected850() *canonical.Order {
	o := canonical.NewOrder(canonical.KindPurchaseOrder)
	o.Source = sourceOf("850", "0001")
	o.Parties = []canonical.Party{
		{Role: canonical.RoleShipTo, Name: "Harborlight Home DC 4", IDQualifier: "92", ID: "0004",
			AdditionalNames: []string{"Receiving", "Building B"},
			Address:         canonical.Address{Lines: []string{"1200 Quarry Rd", "Dock 7"}, City: "Dayton", State: "OH", PostalCode: "45402", Country: "US"}},
		{Role: canonical.RoleBillTo, Name: "Harborlight Home Inc", IDQualifier: "1", ID: "123456789",
			Address: canonical.Address{Lines: []string{"PO Box 55"}, City: "Columbus", State: "OH", PostalCode: "43085"}},
		{Role: "XX", Name: "Odd Party"},
	}
	o.References = []canonical.Reference{{Qualifier: "DP", Value: "038"}, {Qualifier: "IA", Value: "77120", Description: "Vendor number"}, {Qualifier: "ZZ", Value: "PROMO-7"}}
	o.Notes = []string{"Deliver to rear dock", "Call 2h before arrival"}
	o.OrderNumber, o.PurchaseOrderNumber = "HL-44871", "HL-44871"
	o.Purpose, o.OrderType, o.OrderDate = canonical.PurposeOriginal, "SA", "2025-03-01"
	o.RequestedDeliveryDate, o.RequestedShipDate, o.CancelAfterDate = "2025-03-14", "2025-03-10", "2025-03-20"
	o.ShipNotBeforeDate, o.ShipNoLaterDate = "2025-03-08", "2025-03-11"
	o.DeliverNoLaterDate, o.DeliverNotBeforeDate = "2025-03-18", "2025-03-12"
	o.Currency = "USD"
	o.Carrier = canonical.Carrier{SCAC: "BLUF", Mode: "M", Routing: "BLUEFIN FREIGHT", Service: "ST", PaymentMethod: "PP"}
	o.PaymentTerms = canonical.PaymentTerms{TypeCode: "14", BasisDateCode: "3", DiscountPercent: "2", DiscountDays: 10, NetDays: 30}
	o.Lines = []canonical.OrderLine{
		{LineNumber: "1", Quantity: "120", UOM: "EA", UnitPrice: "9.25", PriceBasis: "PE",
			Item: canonical.Item{BuyerItem: "KT-100-B", VendorItem: "KT-100", UPC: "012345678905", Description: "Kettle, enamel, 2 qt",
				IDs: pids("IN", "88812", "BP", "KT-100-B", "UP", "012345678905", "VN", "KT-100")}},
		{LineNumber: "2", Quantity: "6.5", UOM: "LB", UnitPrice: "3.10", PriceBasis: "UM",
			Item:       canonical.Item{GTIN: "4006381333931", SKU: "COFFEE-DK", IDs: pids("EN", "4006381333931", "SK", "COFFEE-DK")},
			References: []canonical.Reference{{Qualifier: "PD", Value: "SPRING"}},
			Parties: []canonical.Party{{Role: canonical.RoleShipTo, IDQualifier: "92", ID: "0117",
				Address: canonical.Address{Lines: []string{"40 Harbor St"}, City: "Salem", State: "MA", PostalCode: "01970"}}}},
		{LineNumber: "003", Quantity: "12", UOM: "CA", UnitPrice: "0.5",
			Item: canonical.Item{Lot: "L2025-03", IDs: pids("LT", "L2025-03", "MG", "MX-9")}},
	}
	o.LineCount, o.TotalQuantity = 3, "138.5"
	return o
}

// fixture856 is pick and pack with two orders: S → O → T → P → I, a P with
// no HL02 and an O whose I has no pack.
const fixture856 = `
ST*856*0042~
BSN*00*ASN-88120*20250311*1405*0001~
DTM*011*20250311*1630~
DTM*017*20250313~
HL*1**S*1~
TD1*CTN25*3****G*41.5*LB~
TD5*B*2*BLUF*M*BLUEFIN FREIGHT~
REF*BM*BOL-5521~
REF*CN*PRO-88~
REF*2I*1Z999AA10123456784~
REF*BM*BOL-ALT~
FOB*CC~
N1*SF*Cobalt Kitchenworks*1*987654321~
N3*9 Foundry Ln~
N4*Akron*OH*44308~
N1*ST*Harborlight Home DC 4*92*0004~
HL*2*1*O*1~
PRF*HL-44871***20250301~
REF*IV*INV-3301~
N1*BY*Harborlight Store 117*92*0117~
HL*3*2*T*1~
MAN*GM*00012345600000000017~
HL*4*3*P*1~
PO4*12****G*20.5*LB~
MAN*GM*00012345600000000018~
REF*2I*1Z999AA10123456785~
HL*5*4*I*0~
LIN*1*UP*012345678905*VN*KT-100~
SN1**100*EA**120*EA**IB~
PID*F****Kettle, enamel~
REF*LT*L77~
HL*6*4*I*0~
LIN*2*BP*88812~
SN1**6*LB~
HL*7**P*1~
TD1******G*21*LB~
MAN*CP*1Z999AA10123456786~
HL*8*7*I*0~
LIN*3*SK*COFFEE-DK~
SN1**12*CA~
HL*9*1*O*1~
PRF*HL-44872~
HL*10*9*I*0~
LIN*1*UP*012345678912~
SN1**24*EA~
HL*11*1*O*0~
PRF*HL-44871~
CTT*11*142~
SE*48*0042~`

func expected856() *canonical.Shipment {
	s := canonical.NewShipment(canonical.KindShipNotice)
	s.Source = sourceOf("856", "0042")
	s.Parties = []canonical.Party{
		{Role: canonical.RoleShipFrom, Name: "Cobalt Kitchenworks", IDQualifier: "1", ID: "987654321",
			Address: canonical.Address{Lines: []string{"9 Foundry Ln"}, City: "Akron", State: "OH", PostalCode: "44308"}},
		{Role: canonical.RoleShipTo, Name: "Harborlight Home DC 4", IDQualifier: "92", ID: "0004"},
		{Role: canonical.RoleBuyer, Name: "Harborlight Store 117", IDQualifier: "92", ID: "0117"},
	}
	s.References = []canonical.Reference{{Qualifier: "BM", Value: "BOL-ALT"}, {Qualifier: "IV", Value: "INV-3301"}}
	s.ShipmentID, s.Purpose = "ASN-88120", canonical.PurposeOriginal
	s.ShipDate, s.ShipTime, s.EstimatedDeliveryDate = "2025-03-11", "16:30", "2025-03-13"
	s.OrderNumbers = []string{"HL-44871", "HL-44872"}
	s.Carrier = canonical.Carrier{SCAC: "BLUF", Mode: "M", Routing: "BLUEFIN FREIGHT", PaymentMethod: "CC",
		TrackingNumbers: []string{"1Z999AA10123456784"}, BOL: "BOL-5521", PRO: "PRO-88"}
	s.Packages = []canonical.Package{
		{Pallet: true, SSCC: "00012345600000000017"},
		{SSCC: "00012345600000000018", TrackingNumber: "1Z999AA10123456785", Weight: "20.5", WeightUOM: "LB", Lines: []int{0, 1}},
		{TrackingNumber: "1Z999AA10123456786", Weight: "21", WeightUOM: "LB", Lines: []int{2}},
	}
	s.Lines = []canonical.ShipmentLine{
		{LineNumber: "1", OrderNumber: "HL-44871", QuantityShipped: "100", QuantityOrdered: "120", UOM: "EA", Status: "IB",
			Item:       canonical.Item{UPC: "012345678905", VendorItem: "KT-100", Description: "Kettle, enamel", IDs: pids("UP", "012345678905", "VN", "KT-100")},
			References: []canonical.Reference{{Qualifier: "LT", Value: "L77"}}},
		{LineNumber: "2", OrderNumber: "HL-44871", QuantityShipped: "6", UOM: "LB",
			Item: canonical.Item{BuyerItem: "88812", IDs: pids("BP", "88812")}},
		{LineNumber: "3", OrderNumber: "HL-44871", QuantityShipped: "12", UOM: "CA",
			Item: canonical.Item{SKU: "COFFEE-DK", IDs: pids("SK", "COFFEE-DK")}},
		{LineNumber: "1", OrderNumber: "HL-44872", QuantityShipped: "24", UOM: "EA",
			Item: canonical.Item{UPC: "012345678912", IDs: pids("UP", "012345678912")}},
	}
	s.TotalQuantity, s.TotalWeight, s.WeightUOM, s.PackageCount = "142", "41.5", "LB", 3
	return s
}

// fixture856ItemPacks is standard pack (BSN05 0002): packs below items, and
// HL02 left out everywhere below S.
const fixture856ItemPacks = `
ST*856*0043~
BSN*05*ASN-88121*20250312*0900*0002~
HL*1**S~
TD5**2*SWFT~
HL*2**O~
PRF*HL-50001~
HL*3**I~
LIN**VN*PAN-10~
SN1**4*CA~
HL*4**P~
MAN*GM*00012345600000000025~
HL*5**P~
MAN*GM*00012345600000000032~
HL*6**I~
LIN**VN*PAN-12~
SN1**2*CA~
HL*7**P~
MAN*GM*00012345600000000049~
SE*19*0043~`

func expected856ItemPacks() *canonical.Shipment {
	s := canonical.NewShipment(canonical.KindShipNotice)
	s.Source = sourceOf("856", "0043")
	s.ShipmentID, s.Purpose, s.ShipDate, s.ShipTime = "ASN-88121", canonical.PurposeReplace, "2025-03-12", "09:00"
	s.OrderNumbers = []string{"HL-50001"}
	s.Carrier = canonical.Carrier{SCAC: "SWFT"}
	s.Packages = []canonical.Package{
		{SSCC: "00012345600000000025", Lines: []int{0}},
		{SSCC: "00012345600000000032", Lines: []int{0}},
		{SSCC: "00012345600000000049", Lines: []int{1}},
	}
	s.Lines = []canonical.ShipmentLine{
		{OrderNumber: "HL-50001", QuantityShipped: "4", UOM: "CA", Item: canonical.Item{VendorItem: "PAN-10", IDs: pids("VN", "PAN-10")}},
		{OrderNumber: "HL-50001", QuantityShipped: "2", UOM: "CA", Item: canonical.Item{VendorItem: "PAN-12", IDs: pids("VN", "PAN-12")}},
	}
	return s
}

const fixture940 = `
ST*940*0007~
W05*N*DEP-20931*HL-44871~
N1*ST*Harborlight Store 117*92*0117~
N3*40 Harbor St~
N4*Salem*MA*01970~
N1*WH*Northgate 3PL East*9*0000000000140~
N1*DE*Cobalt Kitchenworks~
N9*PO*HL-44871~
N9*DP*038*Housewares~
G62*04*20250301~
G62*10*20250310~
G62*02*20250314~
G62*37*20250308~
G62*38*20250311~
G62*53*20250312~
G62*54*20250318~
NTE*WHI*Ship on CHEP pallets~
W66*PP*M***BLUEFIN FREIGHT****4300*BLUF~
LX*1~
W01*12*CA*012345000011*VN*KT-100*UK*10012345678902******L2025-03**BP*88812~
G69*Kettle, enamel~
N9*PC*PROD-77~
N1*Z7*Store 117 backroom~
LX*2~
W01*+3.50*LB**SK*COFFEE-DK~
G69*Coffee, dark roast~
N9*LI*A-2~
NTE*GEN*Keep dry~
W76*15.5*41.5*LB~
SE*30*0007~`

func expected940() *canonical.Order {
	o := canonical.NewOrder(canonical.KindWarehouseOrder)
	o.Source = sourceOf("940", "0007")
	o.Parties = []canonical.Party{
		{Role: canonical.RoleShipTo, Name: "Harborlight Store 117", IDQualifier: "92", ID: "0117",
			Address: canonical.Address{Lines: []string{"40 Harbor St"}, City: "Salem", State: "MA", PostalCode: "01970"}},
		{Role: canonical.RoleWarehouse, Name: "Northgate 3PL East", IDQualifier: "9", ID: "0000000000140"},
		{Role: canonical.RoleDepositor, Name: "Cobalt Kitchenworks"},
	}
	o.References = []canonical.Reference{{Qualifier: "PO", Value: "HL-44871"}, {Qualifier: "DP", Value: "038", Description: "Housewares"}}
	o.Notes = []string{"Ship on CHEP pallets", "Keep dry"}
	o.OrderNumber, o.PurchaseOrderNumber, o.Purpose = "DEP-20931", "HL-44871", canonical.PurposeOriginal
	o.OrderDate, o.RequestedShipDate, o.RequestedDeliveryDate = "2025-03-01", "2025-03-10", "2025-03-14"
	o.ShipNotBeforeDate, o.ShipNoLaterDate = "2025-03-08", "2025-03-11"
	o.DeliverNotBeforeDate, o.DeliverNoLaterDate = "2025-03-12", "2025-03-18"
	o.Carrier = canonical.Carrier{SCAC: "BLUF", Mode: "M", Routing: "BLUEFIN FREIGHT", PaymentMethod: "PP"}
	o.CODAmount = "43.00"
	o.Lines = []canonical.OrderLine{
		{LineNumber: "1", Quantity: "12", UOM: "CA",
			Item: canonical.Item{CaseUPC: "012345000011", VendorItem: "KT-100", GTIN: "10012345678902", BuyerItem: "88812", Lot: "L2025-03",
				Description: "Kettle, enamel", IDs: pids("VN", "KT-100", "UK", "10012345678902", "BP", "88812")},
			References: []canonical.Reference{{Qualifier: "PC", Value: "PROD-77"}},
			Parties:    []canonical.Party{{Role: canonical.RoleMarkFor, Name: "Store 117 backroom"}}},
		{LineNumber: "A-2", Quantity: "3.50", UOM: "LB",
			Item: canonical.Item{SKU: "COFFEE-DK", Description: "Coffee, dark roast", IDs: pids("SK", "COFFEE-DK")}},
	}
	o.TotalQuantity, o.TotalWeight, o.WeightUOM = "15.5", "41.5", "LB"
	return o
}

const fixture945 = `
ST*945*0101~
W06*F*DEP-20931*20250311*SHP-6620**HL-44871~
N1*SF*Northgate 3PL East*9*0000000000140~
N4*Edison*NJ*08817~
N1*ST*Harborlight Store 117*92*0117~
N9*BM*BOL-7001~
N9*CN*PRO-3120~
N9*2I*1Z999AA10123456790~
N9*SN*SEAL-55~
G62*11*20250312*8*1715~
NTE*WHI*Extra shrink wrap applied~
W27*M*BLUF*BLUEFIN FREIGHT*PP~
LX*1~
MAN*GM*00012345600000000056~
MAN*CP*1Z999AA10123456791~
W12*CC*12*12**CA*012345000011*VN*KT-100*L2025-03~
G69*Kettle, enamel~
N9*LI*1~
N9*LV*LPN-0091~
W12*PR*4*3**LB************SK*COFFEE-DK~
N9*LI*A-2~
LX*2~
MAN*GM*00012345600000000063~
N9*2I*1Z999AA10123456792~
LX*3~
W12*BP*6*2**EA****************EN*4006381333931~
W03*17*41.5*LB***2*CT~
SE*24*0101~`

func expected945() *canonical.Shipment {
	s := canonical.NewShipment(canonical.KindWarehouseShippingAdvice)
	s.Source = sourceOf("945", "0101")
	s.Parties = []canonical.Party{
		{Role: canonical.RoleShipFrom, Name: "Northgate 3PL East", IDQualifier: "9", ID: "0000000000140",
			Address: canonical.Address{City: "Edison", State: "NJ", PostalCode: "08817"}},
		{Role: canonical.RoleShipTo, Name: "Harborlight Store 117", IDQualifier: "92", ID: "0117"},
	}
	s.References = []canonical.Reference{{Qualifier: "SN", Value: "SEAL-55"}}
	s.Notes = []string{"Extra shrink wrap applied"}
	s.ShipmentID, s.ReportingCode = "SHP-6620", "F"
	s.ShipDate, s.ShipTime = "2025-03-11", "17:15"
	s.OrderNumbers = []string{"DEP-20931", "HL-44871"}
	s.Carrier = canonical.Carrier{SCAC: "BLUF", Mode: "M", Routing: "BLUEFIN FREIGHT", PaymentMethod: "PP",
		BOL: "BOL-7001", PRO: "PRO-3120", TrackingNumbers: []string{"1Z999AA10123456790"}}
	s.Packages = []canonical.Package{
		{SSCC: "00012345600000000056", TrackingNumber: "1Z999AA10123456791", Lines: []int{0, 1}},
		{SSCC: "00012345600000000063", TrackingNumber: "1Z999AA10123456792"},
	}
	s.Lines = []canonical.ShipmentLine{
		{LineNumber: "1", Status: "CC", QuantityOrdered: "12", QuantityShipped: "12", UOM: "CA",
			Item: canonical.Item{CaseUPC: "012345000011", VendorItem: "KT-100", Lot: "L2025-03", Description: "Kettle, enamel",
				IDs: pids("VN", "KT-100")},
			References: []canonical.Reference{{Qualifier: "LV", Value: "LPN-0091"}}},
		{LineNumber: "A-2", Status: "PR", QuantityOrdered: "4", QuantityShipped: "3", UOM: "LB",
			Item: canonical.Item{SKU: "COFFEE-DK", IDs: pids("SK", "COFFEE-DK")}},
		{LineNumber: "3", Status: "BP", QuantityOrdered: "6", QuantityShipped: "2", UOM: "EA",
			Item: canonical.Item{GTIN: "4006381333931", IDs: pids("EN", "4006381333931")}},
	}
	s.TotalQuantity, s.TotalWeight, s.WeightUOM, s.PackageCount = "17", "41.5", "LB", 2
	return s
}

func TestMapFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		x12  string
		want canonical.Document
	}{
		{"850", fixture850, expected850()},
		{"856 pick and pack", fixture856, expected856()},
		{"856 standard pack without HL02", fixture856ItemPacks, expected856ItemPacks()},
		{"940", fixture940, expected940()},
		{"945", fixture945, expected945()},
	}
	for _, tt := range tests {
		for _, layout := range []string{"contiguous", "scattered", "stray", "read"} {
			t.Run(tt.name+"/"+layout, func(t *testing.T) {
				t.Parallel()
				tx := parseSet(t, tt.x12)
				if _, ok := bodySpan(tx.Body()); !ok {
					t.Fatal("parseSet did not build contiguous segments")
				}
				switch layout {
				case "read":
					tx = readSet(t, tx)
				case "scattered":
					tx = scattered(tx)
					if _, ok := bodySpan(tx.Body()); ok {
						t.Fatal("scattered segments taken for contiguous")
					}
				case "stray":
					tx = strayMiddle(tx)
					if _, ok := bodySpan(tx.Body()); !ok {
						t.Fatal("the first and last segments are no longer contiguous")
					}
				}
				got, err := ToCanonical(tx)
				if err != nil {
					t.Fatalf("ToCanonical: %v", err)
				}
				assertSameDocument(t, got, tt.want)
				if err := got.Validate(); err != nil {
					t.Errorf("mapped document does not validate: %v", err)
				}
			})
		}
	}
}

// assertSameDocument fails with the first differing top-level field.
func assertSameDocument(t *testing.T, got, want canonical.Document) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	gv, wv := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	if gv.Type() != wv.Type() {
		t.Fatalf("got a %T, want a %T", got, want)
	}
	for i := 0; i < gv.NumField(); i++ {
		name := gv.Type().Field(i).Name
		if name == "Header" {
			for j := 0; j < gv.Field(i).NumField(); j++ {
				if g, w := gv.Field(i).Field(j).Interface(), wv.Field(i).Field(j).Interface(); !reflect.DeepEqual(g, w) {
					t.Errorf("%s:\n got %+v\nwant %+v", gv.Field(i).Type().Field(j).Name, g, w)
				}
			}
			continue
		}
		if g, w := gv.Field(i).Interface(), wv.Field(i).Interface(); !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, g, w)
		}
	}
}

func TestMapSourceFromEnvelope(t *testing.T) {
	t.Parallel()
	tx := parseSet(t, fixture940)
	tx.Group = &Group{Version: "004010VICS", ControlNumber: "3317", Sender: "COBALTKW", Receiver: "NORTHGATE",
		Interchange: &Interchange{ControlNumber: "000003438", SenderQualifier: "ZZ", SenderID: "COBALTKW", ReceiverQualifier: "01", ReceiverID: "123456789"}}
	doc, err := ToCanonical(tx)
	if err != nil {
		t.Fatal(err)
	}
	want := canonical.Source{Format: "x12", Set: "940", Version: "004010VICS", InterchangeControl: "000003438", GroupControl: "3317",
		TransactionControl: "0007", SenderQualifier: "ZZ", SenderID: "COBALTKW", ReceiverQualifier: "01", ReceiverID: "123456789",
		ApplicationSender: "COBALTKW", ApplicationReceiver: "NORTHGATE"}
	if got := doc.Head().Source; got != want {
		t.Errorf("source:\n got %+v\nwant %+v", got, want)
	}
	tx.Group.Interchange = nil
	doc, err = ToCanonical(tx)
	if err != nil || doc.Head().Source.GroupControl != "3317" || doc.Head().Source.SenderID != "" {
		t.Errorf("without interchange: %+v, %v", doc.Head().Source, err)
	}
}

func TestMapErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		x12  string
		want error
		msg  string // must appear in the message
	}{
		{"unmapped set", "ST*810*0001~BIG*20250301*INV1~SE*3*0001~", ErrNoMap, `"810"`},
		{"850 without BEG", "ST*850*0001~PO1*1*1*EA~SE*3*0001~", ErrMapData, "no BEG"},
		{"850 bad quantity", "ST*850*0001~BEG*00*SA*P1**20250301~PO1*1*1x*EA~SE*4*0001~", ErrMapData, `850 PO1 at position 3: PO102 "1x"`},
		{"850 exponent price", "ST*850*0001~BEG*00*SA*P1**20250301~PO1*1*1*EA*1E3~SE*4*0001~", ErrMapData, "PO104"},
		{"850 bad date", "ST*850*0001~BEG*00*SA*P1**20250231~PO1*1*1*EA~SE*4*0001~", ErrMapData, `850 BEG at position 2: BEG05 "20250231"`},
		{"850 bad CTT01", "ST*850*0001~BEG*00*SA*P1**20250301~PO1*1*1*EA~CTT*one~SE*5*0001~", ErrMapData, "CTT01"},
		{"856 without BSN", "ST*856*0001~HL*1**S~SE*3*0001~", ErrMapData, "no BSN"},
		{"856 bad time", "ST*856*0001~BSN*00*A1*20250301*2561~SE*3*0001~", ErrMapData, "BSN04"},
		{"856 bad shipped quantity", "ST*856*0001~BSN*00*A1*20250301*1200~HL*1**S~HL*2*1*I~SN1**-~SE*6*0001~", ErrMapData, "856 SN1 at position 5: SN102"},
		{"940 without W05", "ST*940*0001~LX*1~SE*3*0001~", ErrMapData, "no W05"},
		{"940 bad N2 amount", "ST*940*0001~W05*N*D1~W66*PP*M*******43A0~SE*4*0001~", ErrMapData, "W6609"},
		{"945 without W06", "ST*945*0001~W03*1~SE*3*0001~", ErrMapData, "no W06"},
		{"945 bad G62 time", "ST*945*0001~W06*F*D1*20250301*S1~G62*11*20250301*8*99~SE*4*0001~", ErrMapData, "G6204"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sets := []*Transaction{parseSet(t, tt.x12)}
			if tt.want == ErrMapData {
				sets = append(sets, readSet(t, sets[0])) // elements found by scanning
			}
			for _, tx := range sets {
				doc, err := ToCanonical(tx)
				if !errors.Is(err, tt.want) {
					t.Fatalf("ToCanonical = %v, want %v", err, tt.want)
				}
				if doc != nil {
					t.Errorf("document %#v returned with an error", doc)
				}
				if !strings.Contains(err.Error(), tt.msg) {
					t.Errorf("message %q does not contain %q", err, tt.msg)
				}
			}
		})
	}
}

func TestMapDecimalConversions(t *testing.T) {
	t.Parallel()
	rTests := []struct {
		in   string
		want canonical.Decimal
		ok   bool
	}{
		{"", "", true},
		{"12", "12", true},
		{"12.50", "12.50", true},
		{"+12.50", "12.50", true},
		{"-0.5", "-0.5", true},
		{".5", "0.5", true},
		{"-.5", "-0.5", true},
		{"5.", "5", true},
		{"007", "7", true},
		{"000.250", "0.250", true},
		{"0", "0", true},
		{"12 ", "12", true},
		{"1E3", "", false},
		{"1,5", "", false},
		{"-", "", false},
		{".", "", false},
		{"1.2.3", "", false},
		{"++1", "", false},
	}
	for _, tt := range rTests {
		got, ok := canonDecimal([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("canonDecimal(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && got != "" && !got.Valid() {
			t.Errorf("canonDecimal(%q) = %q is not a valid Decimal", tt.in, got)
		}
	}
	nTests := []struct {
		in   string
		n    int
		want canonical.Decimal
		ok   bool
	}{
		{"4300", 2, "43.00", true},
		{"5", 2, "0.05", true},
		{"0", 2, "0.00", true},
		{"-5", 2, "-0.05", true},
		{"+120", 1, "12.0", true},
		{"00120", 3, "0.120", true},
		{"42", 0, "42", true},
		{"43.5", 2, "43.5", true}, // a decimal point in Nn is read as R
		{"", 2, "", true},
		{"43A", 2, "", false},
	}
	for _, tt := range nTests {
		got, ok := canonImplied([]byte(tt.in), tt.n)
		if got != tt.want || ok != tt.ok {
			t.Errorf("canonImplied(%q, %d) = %q, %v; want %q, %v", tt.in, tt.n, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMapDateTimeConversions(t *testing.T) {
	t.Parallel()
	dates := []struct {
		in   string
		want canonical.Date
		ok   bool
	}{
		{"20250301", "2025-03-01", true},
		{"250301", "2025-03-01", true},
		{"20240229", "2024-02-29", true},
		{"20250229", "", false},
		{"2025031", "", false},
		{"2025O301", "", false},
		{"", "", true},
		{" 20250301", "2025-03-01", true},
		{"20250301\t", "2025-03-01", true},
		{"  250301", "2025-03-01", true},
		{"250301\t\t", "2025-03-01", true},
		{" 2025031", "", false},
		{"2025031 ", "", false},
	}
	for _, tt := range dates {
		got, ok := canonDate([]byte(tt.in))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("canonDate(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	times := []struct {
		in   string
		want canonical.Time
		ok   bool
	}{
		{"1405", "14:05", true},
		{"140530", "14:05:30", true},
		{"14053012", "14:05:30", true},
		{"2400", "", false},
		{"14051", "", false},
		{"1405301x", "", false},
		{"14", "", false},
		{"", "", true},
	}
	for _, tt := range times {
		got, ok := canonTime([]byte(tt.in))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("canonTime(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMapHLParentByID(t *testing.T) {
	t.Parallel()
	// IDs that are not 1, 2, 3 … and parents named out of order.
	x12 := `ST*856*0001~BSN*00*A1*20250301*1200~
HL*S1**S~HL*O1*S1*O~PRF*PO-A~HL*O2*S1*O~PRF*PO-B~
HL*I1*O1*I~LIN*1*VN*X~SN1**1*EA~HL*I2*O2*I~LIN*1*VN*Y~SN1**2*EA~HL*I3*O1*I~LIN*2*VN*Z~SN1**3*EA~
HL*I4*NOPE*I~LIN*9*VN*Q~SN1**4*EA~SE*20*0001~`
	doc, err := ToCanonical(parseSet(t, x12))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range doc.(*canonical.Shipment).Lines {
		got = append(got, l.Item.VendorItem+"@"+l.OrderNumber)
	}
	// I4's parent does not exist: it hangs from the most recent O.
	want := []string{"X@PO-A", "Y@PO-B", "Z@PO-A", "Q@PO-B"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines = %v, want %v", got, want)
	}
}

func TestMapItemPrecedenceIgnoresPairOrder(t *testing.T) {
	t.Parallel()
	a, err := ToCanonical(parseSet(t, "ST*850*1~BEG*00*SA*P**20250301~PO1*1*1*EA**PE*CB*C1*IN*I1*BP*B1*VC*V3*VN*V1~SE*4*1~"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ToCanonical(parseSet(t, "ST*850*1~BEG*00*SA*P**20250301~PO1*1*1*EA**PE*VN*V1*BP*B1*VC*V3*IN*I1*CB*C1~SE*4*1~"))
	if err != nil {
		t.Fatal(err)
	}
	ia, ib := a.(*canonical.Order).Lines[0].Item, b.(*canonical.Order).Lines[0].Item
	if ia.BuyerItem != "B1" || ia.VendorItem != "V1" || ia.BuyerItem != ib.BuyerItem || ia.VendorItem != ib.VendorItem {
		t.Errorf("wrong precedence:\n%+v\n%+v", ia, ib)
	}
	if len(ia.IDs) != 5 || ia.IDs[0].Qualifier != "CB" || ib.IDs[0].Qualifier != "VN" {
		t.Errorf("IDs not kept in the order sent: %v, %v", ia.IDs, ib.IDs)
	}
}

// TestMapAllocations guards the allocation pattern of ToCanonical: one copy
// of the set's text, the document, its lines, and one slab each for product
// IDs, parties, references and strings — however many lines there are.
// It does not run in parallel: AllocsPerRun counts the whole process.
func TestMapAllocations(t *testing.T) {
	var buf bytes.Buffer
	if _, err := GenerateOrders(&buf, &GenerateOpts{SetsPerGroup: 1, LinesPerSet: 200, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	tx, _ := firstSet(t, buf.Bytes())
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := ToCanonical(tx); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 7 {
		t.Errorf("ToCanonical of a 200-line 850 made %v allocations, want at most 7", allocs)
	}
}

// FuzzMapLayouts checks that ToCanonical gives the same document, or the
// same error, whether a set's segments are read fresh (elements found by
// scanning) or already split into elements, as validation leaves them;
// that a Translator reused across the sets gives it too; and that it never
// panics on a set that was not validated.
func FuzzMapLayouts(f *testing.F) {
	addSeeds(f)
	for _, x12 := range []string{fixture850, fixture856, fixture856ItemPacks, fixture940, fixture945} {
		f.Add([]byte(x12))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, []byte("\nST*")) {
			// A bare fixture: wrap it the way readSet does.
			data = []byte(envelopeSet(parseSet(t, string(data))))
		}
		r := NewReader(bytes.NewReader(data), &ReaderOpts{MaxSetBytes: 1 << 16})
		tr := NewTranslator()
		for {
			ev, err := r.Next()
			if err != nil {
				return
			}
			if ev.Kind != TransactionSet {
				continue
			}
			tx := ev.Transaction
			scanned, err1 := ToCanonical(tx)
			splitAll(tx)
			split, err2 := ToCanonical(tx)
			if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
				t.Fatalf("errors differ: scanned %v, split %v", err1, err2)
			}
			if !reflect.DeepEqual(scanned, split) {
				t.Fatalf("documents differ:\nscanned %+v\nsplit   %+v", scanned, split)
			}
			reused, err3 := tr.Translate(tx)
			if (err2 == nil) != (err3 == nil) || (err2 != nil && err2.Error() != err3.Error()) {
				t.Fatalf("errors differ: ToCanonical %v, Translator %v", err2, err3)
			}
			a, _ := json.Marshal(split)
			b, _ := json.Marshal(reused)
			if !bytes.Equal(a, b) {
				t.Fatalf("documents differ:\nToCanonical %s\nTranslator  %s", a, b)
			}
		}
	})
}

// parseWritten writes doc in an interchange and reads its set back.
func parseWritten(tb testing.TB, doc canonical.Document) (*Transaction, int) {
	tb.Helper()
	return firstSet(tb, writeInterchange(tb, Release4010, doc))
}

// firstSet reads the first set of data with the Reader and returns it with
// its size in bytes. It stays valid as the Reader is not asked for more.
func firstSet(tb testing.TB, data []byte) (*Transaction, int) {
	tb.Helper()
	r := NewReader(bytes.NewReader(data), nil)
	for {
		ev, err := r.Next()
		if err != nil {
			tb.Fatal(err)
		}
		if ev.Kind == TransactionSet {
			return ev.Transaction, int(ev.Transaction.Size())
		}
	}
}

// splitAll splits every segment of t into elements, as validation does
// before a set is mapped.
func splitAll(t *Transaction) {
	for i := range t.Segments {
		t.Segments[i].split()
	}
}

// BenchmarkToCanonical850 maps a generated 1000-line 850, validated.
func BenchmarkToCanonical850(b *testing.B) {
	var buf bytes.Buffer
	if _, err := GenerateOrders(&buf, &GenerateOpts{SetsPerGroup: 1, LinesPerSet: 1000, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	tx, size := firstSet(b, buf.Bytes())
	splitAll(tx)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToCanonical(tx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkToCanonical856 maps a pick-and-pack 856 of 1000 items in 250
// cartons, validated.
func BenchmarkToCanonical856(b *testing.B) {
	s := roundTripShipment856()
	base := s.Lines[0]
	s.Lines = make([]canonical.ShipmentLine, 1000)
	s.Packages = make([]canonical.Package, 250)
	for i := range s.Lines {
		l := base
		l.LineNumber = strconv.Itoa(i%40 + 1)
		l.Item.UPC, l.Item.VendorItem, l.Item.BuyerItem, l.Item.Description = "0123456"+strconv.Itoa(10000+i), "KT-"+strconv.Itoa(i), "", "Kettle"
		l.Item.IDs = pids("UP", l.Item.UPC, "VN", l.Item.VendorItem)
		l.References = nil
		l.OrderNumber = s.OrderNumbers[i%2]
		s.Lines[i] = l
	}
	for p := range s.Packages {
		s.Packages[p] = canonical.Package{SSCC: "000123456" + strconv.FormatInt(10000000000+int64(p), 10), Lines: []int{4 * p, 4*p + 1, 4*p + 2, 4*p + 3}}
	}
	tx, size := parseWritten(b, s)
	splitAll(tx)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToCanonical(tx); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTranslatorReuse checks that a Translator used for set after set, of
// every kind and size, gives the documents ToCanonical gives, and that the
// strings of a document outlive the storage the next set reuses.
func TestTranslatorReuse(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.edi")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	var inputs [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, data)
	}
	for _, lines := range []int{40, 1, 7} {
		var buf bytes.Buffer
		if _, err := GenerateOrders(&buf, &GenerateOpts{SetsPerGroup: 3, LinesPerSet: lines, Seed: int64(lines)}); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, buf.Bytes())
	}
	tr := NewTranslator()
	var keys, want []string
	translate := func(tx *Transaction) {
		fresh, err1 := ToCanonical(tx)
		reused, err2 := tr.Translate(tx)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("set %s %s: ToCanonical error %v, Translate error %v", tx.SetID, tx.ControlNumber, err1, err2)
		}
		if err1 != nil {
			return
		}
		a, _ := json.Marshal(fresh)
		b, _ := json.Marshal(reused)
		if !bytes.Equal(a, b) {
			t.Fatalf("set %s %s differs:\nToCanonical %s\nTranslate   %s", tx.SetID, tx.ControlNumber, a, b)
		}
		keys, want = append(keys, reused.BusinessKey()), append(want, strings.Clone(fresh.BusinessKey()))
	}
	backward := slices.Clone(inputs)
	slices.Reverse(backward)
	for _, in := range append(inputs, backward...) {
		r := NewReader(bytes.NewReader(in), nil)
		for {
			ev, err := r.Next()
			if err != nil {
				break
			}
			if ev.Kind == TransactionSet {
				translate(ev.Transaction)
			}
		}
	}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("business keys changed after later sets:\n got %q\nwant %q", keys, want)
	}
}

// TestMapSkipsUnmappedSegments checks that segments a map does not read
// (PER, PO4, MEA) leave the document unchanged, whatever the segments'
// layout: the mapper does not visit them.
func TestMapSkipsUnmappedSegments(t *testing.T) {
	t.Parallel()
	// Each fixture gets a segment in its heading and one among its lines.
	tests := []struct {
		name     string
		fixture  string
		inserts  [][2]string // before what, what
		expected func() canonical.Document
	}{
		{"850", fixture850, [][2]string{{"CUR*BY*USD~", "PER*BD*JANE ROE*TE*5125550105~"}, {"PO1*2*", "PO4*12*8*EA~"}},
			func() canonical.Document { return expected850() }},
		{"856", fixture856, [][2]string{{"DTM*011*", "PER*IC*JANE ROE~"}, {"SN1**6*LB~", "MEA*PD*G*21*LB~"}},
			func() canonical.Document { return expected856() }},
		{"940", fixture940, [][2]string{{"N9*PO*", "PER*IC*JANE ROE~"}, {"G69*Coffee", "MEA*PD*G*21*LB~"}},
			func() canonical.Document { return expected940() }},
		{"945", fixture945, [][2]string{{"N9*BM*", "PER*IC*JANE ROE~"}, {"G69*Kettle", "MEA*PD*G*21*LB~"}},
			func() canonical.Document { return expected945() }},
	}
	layouts := map[string]func(*Transaction) *Transaction{
		"contiguous": func(tx *Transaction) *Transaction { return tx },
		"scattered":  scattered,
		"stray":      strayMiddle,
		"read":       func(tx *Transaction) *Transaction { return readSet(t, tx) },
	}
	for _, tt := range tests {
		x12 := tt.fixture
		for _, in := range tt.inserts {
			if !strings.Contains(x12, in[0]) {
				t.Fatalf("%s: no %q to insert before", tt.name, in[0])
			}
			x12 = strings.Replace(x12, in[0], in[1]+"\n"+in[0], 1)
		}
		for name, layout := range layouts {
			got, err := NewTranslator().Translate(layout(parseSet(t, x12)))
			if err != nil {
				t.Fatalf("%s %s: %v", tt.name, name, err)
			}
			if want := tt.expected(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: the document differs from the fixture's:\n got %+v\nwant %+v", tt.name, name, got, want)
			}
		}
	}
}

func TestTrimSpace(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", " ", "a", " a", "a ", "\ta\n", "12", "\u00a0x", "x\u0085", "\u2003", "é", "a\x7f", "\x00a"} {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestRoleFromN101(t *testing.T) {
	t.Parallel()
	for _, r := range x12Roles {
		if len(r.code) != 2 {
			t.Errorf("entity code %q is not two bytes long", r.code)
		}
		if got := roleFromN101(r.code); got != r.role {
			t.Errorf("roleFromN101(%q) = %q, want %q", r.code, got, r.role)
		}
	}
	for _, code := range []string{"", "B", "BYX", "XX", "by"} {
		if got := roleFromN101(code); got != code {
			t.Errorf("roleFromN101(%q) = %q, want it kept", code, got)
		}
	}
	// Every code it maps is in the table, so that roleToN101 inverts it.
	const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for i := range len(chars) {
		for j := range len(chars) {
			code := chars[i:i+1] + chars[j:j+1]
			role := roleFromN101(code)
			if role != code && roleToN101(role) != code {
				t.Errorf("roleFromN101(%q) = %q, which roleToN101 maps to %q", code, role, roleToN101(role))
			}
		}
	}
}

// TestIsCanonicalDecimal compares isCanonicalDecimal, for every string of up
// to five bytes from a small alphabet and for long values, with what
// parsing and writing the value back gives.
func TestIsCanonicalDecimal(t *testing.T) {
	t.Parallel()
	const alphabet = "-+.019 x"
	isWritten := func(b string) {
		neg, intPart, frac, ok := false, "", "", false
		if b != "" {
			neg, intPart, frac, ok = splitDecimal(b)
		}
		want := ok && string(joinDecimal(nil, neg, intPart, frac)) == b
		if got := isCanonicalDecimal(b); got != want {
			t.Errorf("isCanonicalDecimal(%q) = %v, want %v", b, got, want)
		}
	}
	var check func(b string)
	check = func(b string) {
		isWritten(b)
		if len(b) < 5 {
			for i := range len(alphabet) {
				check(b + alphabet[i:i+1])
			}
		}
	}
	check("")
	for _, b := range []string{
		"123456789012345678901234567890", "-123456789012345678901234567890.000000000000000000001",
		"0.000000000000000000000000000001", "-0.0", "00000000000000000001", "1234567890123.", "1234567890123.5.",
		".123456789012345", "1234567890123456789e10", "1234567890123456789 ", "-1234567890123456789-",
	} {
		isWritten(b)
	}
}

// TestItemPairsMatchAdd compares the product IDs and named fields pairs
// gives a PO1, whose usual pairs it adds inline, with those add gives for
// each pair in turn: repeated and unknown qualifiers, empty pairs, spaces
// after a qualifier or a value, precedence, a lone qualifier, more pairs
// than are read.
func TestItemPairsMatchAdd(t *testing.T) {
	t.Parallel()
	for _, pairs := range []string{
		"UP*1*VN*2*BP*3", "UP*1*UP*2", "*1*UP**VN*3", "UP *1*VN*2", "UP  *1*UP*2", "UP*1*UP  *2",
		"XX*1*XX*2*YY*3", "XX *1*XX*2", "CB*C*IN*I*BP*B*PI*P", "VC*3*VP*2*VN*1", "UP*1 *VN* *BP*3",
		"EN*1*UK*2*EN*3", " UP*1*UP*2", "UP*1*VN", "*", "", strings.Repeat("SK*1*LT*2*", 6) + "UP*3",
	} {
		tx := parseSet(t, "ST*850*1~BEG*00*SA*P**20250301~PO1*1*1*EA**PE*"+pairs+"~SE*4*1~")
		var want canonical.Item
		ref := newItemBuilder(&want)
		po1 := &tx.Body()[1]
		for i := 6; i+1 <= po1.Len() && i < 6+2*10; i += 2 {
			ref.add(trimTrailingSpaces(string(po1.Element(i))), trimTrailingSpaces(string(po1.Element(i+1))))
		}
		for _, layout := range []*Transaction{tx, readSet(t, tx)} {
			doc, err := ToCanonical(layout)
			if err != nil {
				t.Fatalf("%q: %v", pairs, err)
			}
			got := doc.(*canonical.Order).Lines[0].Item
			if len(got.IDs) == 0 && len(want.IDs) == 0 {
				got.IDs, want.IDs = nil, nil
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("pairs %q:\n got %+v\nwant %+v", pairs, got, want)
			}
		}
	}
}

// TestMapDecimalMatchesCanonDecimal compares the decimals a map reads, whose
// normal form is kept as sent without trimming, with canonDecimal: leading
// zeros, signs, points at either end, spaces, long values, bad ones.
func TestMapDecimalMatchesCanonDecimal(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"12", "12 ", " 12", "12.50", "12.50  ", "+12.50", "-0.5", "-0.5 ", ".5", "-.5", "5.", "5. ", "007", "000.250", "0", "0 ",
		"-0", "00", "-", ".", "1.2.3", "++1", "1E3", "1,5", "\t7", "12345678901234567890.000000000000000000001",
	} {
		want, ok := canonDecimal([]byte(in))
		for _, layout := range []func(*Transaction) *Transaction{
			func(tx *Transaction) *Transaction { return tx },
			func(tx *Transaction) *Transaction { return readSet(t, tx) },
		} {
			doc, err := ToCanonical(layout(parseSet(t, "ST*850*1~BEG*00*SA*P**20250301~PO1*1*"+in+"*EA~SE*4*1~")))
			if (err == nil) != ok {
				t.Errorf("PO102 %q: error %v, canonDecimal ok %v", in, err, ok)
				continue
			}
			if ok {
				if got := doc.(*canonical.Order).Lines[0].Quantity; got != want {
					t.Errorf("PO102 %q = %q, canonDecimal gives %q", in, got, want)
				}
			}
		}
	}
}

// TestAtSplitMatchesAt checks that when atSplit takes a segment, split and
// in the span, it makes it current as at does; and that it takes those of
// a validated contiguous set, and no segment that is not split or lies
// elsewhere.
func TestAtSplitMatchesAt(t *testing.T) {
	t.Parallel()
	layouts := map[string]func(*Transaction) *Transaction{
		"contiguous": func(tx *Transaction) *Transaction { return tx },
		"scattered":  scattered,
		"stray":      strayMiddle,
		"read":       func(tx *Transaction) *Transaction { return readSet(t, tx) },
	}
	for _, fixture := range []string{fixture850, fixture856, fixture940, fixture945} {
		for name, layout := range layouts {
			for _, split := range []bool{false, true} {
				tx := layout(parseSet(t, fixture))
				if split {
					splitAll(tx)
				}
				body := tx.Body()
				var fast, slow canonMapper
				fast.init(tx.SetID, body, nil)
				slow.init(tx.SetID, body, nil)
				_, contiguous := bodySpan(body)
				for i := range body {
					s := &body[i]
					_, inText := inSpan(fast.span, s.raw)
					took := fast.atSplit(s)
					if want := s.hi != 0 && inText; took != want {
						t.Fatalf("%s %s split %v: atSplit took %s: %v, want %v", tx.SetID, name, split, s.ID(), took, want)
					}
					if name == "contiguous" && split && contiguous && !took {
						t.Errorf("%s: atSplit left %s of a split contiguous set", tx.SetID, s.ID())
					}
					if !took {
						continue
					}
					slow.at(s)
					if fast.seg != slow.seg || fast.cur != slow.cur || !slices.Equal(fast.ends, slow.ends) {
						t.Errorf("%s %s: %s made current as %q %v, at gives %q %v", tx.SetID, name, s.ID(), fast.cur, fast.ends, slow.cur, slow.ends)
					}
				}
			}
		}
	}
}
