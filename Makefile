# partnergate: build, run and check. Override the Go command with GO=…,
# the fuzzing time per target with FUZZTIME=….
GO ?= go
FUZZTIME ?= 5m
STATICCHECK_VERSION ?= v0.8.2
BIN := bin/partnergate

.PHONY: build run test bench fuzz lint clean

build:
	$(GO) build -o $(BIN) ./cmd/partnergate

# run shows what the gateway does with a partner's file: it translates the
# example purchase order to canonical JSON and its acknowledgments. When the
# service ("partnergate serve") lands, run starts it instead.
run: build
	@echo "== partnergate translate --pretty examples/850-acme.edi"
	./$(BIN) translate --pretty examples/850-acme.edi

test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 9m ./...

# The benchmarks generate their own input (edi.GenerateToSize).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	@set -e; for target in FuzzReader FuzzValidate FuzzTranslate; do \
		echo "== $$target for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) ./edi; \
	done

lint:
	@unformatted="$$(gofmt -l .)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt -l found unformatted files:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

clean:
	rm -rf bin
	rm -f *.test *.out *.prof
