# partnergate: build, run and check. Override the Go command with GO=…,
# the fuzzing time per target with FUZZTIME=….
GO ?= go
FUZZTIME ?= 5m
STATICCHECK_VERSION ?= v0.8.2
BIN := bin/partnergate
PGHOST ?= 127.0.0.1
PGPORT ?= 5432
DATABASE_URL ?= postgres://postgres@$(PGHOST):$(PGPORT)/partnergate?sslmode=disable
# The ERP/WMS simulator make run starts, and the token the sample
# destinations of partner-configs/gateway.yaml send it.
ERPSIM_LISTEN ?= 127.0.0.1:9000
ERP_TOKEN ?= demo-erp-token

.PHONY: build run db test bench pgo bench-scorecards load load-as2 load-deliver fuzz lint clean

build:
	$(GO) build -o $(BIN) ./cmd/partnergate

# run starts the gateway with the sample partners of partner-configs/ on
# the local PostgreSQL, which it starts and prepares first (see db).
run: build db
	@echo
	@echo "partnergate on http://127.0.0.1:8080 with the sample partners of partner-configs/"
	@echo "  dashboard  http://127.0.0.1:8080/ui/ (sign in with a staff token below)"
	@echo "  API        http://127.0.0.1:8080/api/v1/openapi.json"
	@echo "  health     http://127.0.0.1:8080/readyz   metrics http://127.0.0.1:8080/metrics"
	@echo "  partners   Bearer demo-acme-key (acme-retail), demo-globex-key, demo-swift-key, demo-bazaar-key"
	@echo "  staff      Bearer demo-admin-token (admin), demo-onboarding-token, demo-viewer-token"
	@echo "  try        curl -H 'Authorization: Bearer demo-acme-key' --data-binary @examples/850-acme.edi http://127.0.0.1:8080/api/v1/inbound"
	@echo "  SFTP       sftp -P 2022 globex@127.0.0.1 (password demo-globex-sftp): /inbound, /outbound, /archive"
	@echo "  AS2        POST http://127.0.0.1:8080/as2, AS2 ID NORTHWIND, certificate partner-configs/state/as2/northwind.crt; try make load-as2"
	@echo "  ERP/WMS    simulator on http://127.0.0.1:9000, what it received: http://127.0.0.1:9000/_sim/received"
	@echo "  deliveries curl -H 'Authorization: Bearer demo-viewer-token' http://127.0.0.1:8080/api/v1/deliveries"
	@echo
	@export ERP_TOKEN='$(ERP_TOKEN)'; \
	./$(BIN) erpsim --listen $(ERPSIM_LISTEN) --token-env ERP_TOKEN & sim=$$!; \
	trap 'kill $$sim 2>/dev/null' EXIT INT TERM; \
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

# The benchmarks generate their own input (edi.GenerateToSize). They are
# built with the CPU profile the binary is built with (see pgo), so that
# they measure the code that ships. The X12 and CSV engines are measured on
# one core, the rest with every core.
PGO := $(CURDIR)/cmd/partnergate/default.pgo
bench:
	$(GO) test -pgo=$(PGO) -run '^$$' -bench . -benchmem -cpu 1 ./edi ./flatfile
	$(GO) test -pgo=$(PGO) -run '^$$' -bench . -benchmem $$($(GO) list ./... | grep -v -e '/edi$$' -e '/flatfile$$')

# pgo records the CPU profile that go build applies to cmd/partnergate
# (profile-guided optimization): the X12 pipeline with acknowledgments, CSV
# translation and ingest through PostgreSQL, merged. Rerun it after changing
# hot code; a stale profile costs speed, never correctness.
pgo: db
	@set -e; dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	$(GO) test -run '^$$' -bench '^BenchmarkProcess$$' -benchtime 40x -cpu 1 -cpuprofile "$$dir/edi.prof" -o "$$dir/edi.test" ./edi; \
	$(GO) test -run '^$$' -bench '^BenchmarkCSVToCanonical$$' -benchtime 20x -cpu 1 -cpuprofile "$$dir/csv.prof" -o "$$dir/csv.test" ./flatfile; \
	$(GO) test -run '^$$' -bench '^BenchmarkIngest$$' -benchtime 3000x -cpuprofile "$$dir/ingest.prof" -o "$$dir/ingest.test" ./gateway/ingest; \
	$(GO) tool pprof -proto "$$dir/edi.prof" "$$dir/csv.prof" "$$dir/ingest.prof" > $(PGO)
	@ls -l $(PGO)

# bench-scorecards times GET /api/v1/scorecards?window=30d and one partner's
# scorecard over rollups worth 1 million documents (100 partners, 30 days),
# then the dashboard's overview and partner pages with the 1 million
# documents themselves seeded too.
bench-scorecards:
	$(GO) test -run '^$$' -bench '^BenchmarkScorecards$$' -benchtime 50x -benchmem ./gateway/web
	$(GO) test -run '^$$' -bench '^BenchmarkMillion$$' -benchtime 20x ./gateway/web/ui

# load posts generated files to the gateway "make run" serves for 60 s and
# reports files/s, transaction sets/s and receipt-to-acks percentiles.
load: build
	./$(BIN) bench ingest --url http://127.0.0.1:8080 --key demo-acme-key --duration 60s

# load-as2 posts encrypted 850s over AS2 as the sample partner ACMEAS2
# (acme-retail) to the gateway "make run" serves, 200 a second for 60 s,
# checks every signed MDN and reports messages/s and post-to-MDN percentiles.
load-as2: build
	./$(BIN) bench as2 --url http://127.0.0.1:8080/as2 --from ACMEAS2 --to NORTHWIND \
		--their-cert partner-configs/state/as2/northwind.crt --staff-token demo-viewer-token --duration 60s

# load-deliver delivers 10,000 purchase orders to the ERP simulator failing
# 5% of requests and reports documents/s and delivery latency p50/p99.
load-deliver:
	$(GO) test -run '^$$' -bench '^BenchmarkDeliver$$' -benchtime 10000x ./gateway/delivery

# fuzz runs every fuzz target for FUZZTIME. Go 1.26's fuzzing coordinator
# can end a run that found nothing with a bare "context deadline exceeded"
# when the time is up (golang/go#75804); such a run, with no failing input
# written, counts as clean. Any other failure stops make fuzz.
FUZZ_TARGETS := edi:FuzzReader edi:FuzzValidate edi:FuzzTranslate edi:FuzzMapLayouts \
	edi:FuzzSplitWords flatfile:FuzzReader canonical:FuzzAppendJSON

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; target=$${t#*:}; log=$$(mktemp); \
		echo "== $$pkg $$target for $(FUZZTIME)"; \
		{ $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) ./$$pkg; echo $$? >$$log.rc; } 2>&1 | tee $$log; \
		rc=$$(cat $$log.rc); rm -f $$log.rc; \
		if [ $$rc -ne 0 ]; then \
			if grep -q 'Failing input written' $$log || ! grep -q '^    context deadline exceeded$$' $$log; then \
				rm -f $$log; exit 1; \
			fi; \
			echo "== $$pkg $$target: no failing input; the run ended on the coordinator's deadline race, counted as clean"; \
		fi; \
		rm -f $$log; \
	done

lint:
	@unformatted="$$(gofmt -l .)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt -l found unformatted files:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

clean:
	rm -rf bin
	rm -f *.test *.out *.prof
