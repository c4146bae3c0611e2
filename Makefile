# partnergate: build, run and check. Override the Go command with GO=…,
# the fuzzing time per target with FUZZTIME=….
GO ?= go
FUZZTIME ?= 5m
STATICCHECK_VERSION ?= v0.8.2
BIN := bin/partnergate
PGHOST ?= 127.0.0.1
PGPORT ?= 5432
DATABASE_URL ?= postgres://postgres@$(PGHOST):$(PGPORT)/partnergate?sslmode=disable

.PHONY: build run db test bench load fuzz lint clean

build:
	$(GO) build -o $(BIN) ./cmd/partnergate

# run starts the gateway with the sample partners of partner-configs/ on
# the local PostgreSQL, which it starts and prepares first (see db).
run: build db
	@echo
	@echo "partnergate on http://127.0.0.1:8080 with the sample partners of partner-configs/"
	@echo "  API        http://127.0.0.1:8080/api/v1/openapi.json"
	@echo "  health     http://127.0.0.1:8080/readyz   metrics http://127.0.0.1:8080/metrics"
	@echo "  partners   Bearer demo-acme-key (acme-retail), demo-globex-key, demo-swift-key, demo-bazaar-key"
	@echo "  staff      Bearer demo-admin-token (admin), demo-onboarding-token, demo-viewer-token"
	@echo "  try        curl -H 'Authorization: Bearer demo-acme-key' --data-binary @examples/850-acme.edi http://127.0.0.1:8080/api/v1/inbound"
	@echo "  SFTP       sftp -P 2022 globex@127.0.0.1 (password demo-globex-sftp): /inbound, /outbound, /archive"
	@echo
	DATABASE_URL='$(DATABASE_URL)' ./$(BIN) serve --config partner-configs/gateway.yaml

# db makes sure PostgreSQL answers on $(PGHOST):$(PGPORT), starting the
# local clusters when it does not, and that the partnergate database exists.
db:
	@if ! pg_isready -q -h $(PGHOST) -p $(PGPORT); then \
		echo "== PostgreSQL is not answering on $(PGHOST):$(PGPORT); starting the local clusters"; \
		pg_lsclusters --no-header | while read -r version cluster _rest; do \
			pg_ctlcluster --skip-systemctl-redirect "$$version" "$$cluster" start || true; \
		done; \
		for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h $(PGHOST) -p $(PGPORT) && break; sleep 1; done; \
	fi
	@psql -h $(PGHOST) -p $(PGPORT) -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'partnergate'" | grep -q 1 \
		|| createdb -h $(PGHOST) -p $(PGPORT) -U postgres partnergate

test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 9m ./...

# The benchmarks generate their own input (edi.GenerateToSize).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# load posts generated files to the gateway "make run" serves for 60 s and
# reports files/s, transaction sets/s and receipt-to-acks percentiles.
load: build
	./$(BIN) bench ingest --url http://127.0.0.1:8080 --key demo-acme-key --duration 60s

fuzz:
	@set -e; for target in FuzzReader FuzzValidate FuzzTranslate; do \
		echo "== $$target for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) ./edi; \
	done
	@echo "== flatfile FuzzReader for $(FUZZTIME)"
	$(GO) test -run '^$$' -fuzz '^FuzzReader$$' -fuzztime $(FUZZTIME) ./flatfile

lint:
	@unformatted="$$(gofmt -l .)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt -l found unformatted files:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

clean:
	rm -rf bin
	rm -f *.test *.out *.prof
