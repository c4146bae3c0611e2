package partners_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/partnergate/partnergate/partners"
)

// withPolicies is a partner file with every check (line numbers matter to
// the tests below: policies start at line 5).
const withPolicies = `id: acme
name: ACME
status: active
policies:
  - {check: missing_scac, action: hold}
  - {check: unknown_ship_to, action: reject, known_ship_to: ["0012345", "0067890"], file: shipto.txt}
  - {check: past_date, action: warn}
  - {check: price_list, action: hold, file: "prices/acme.csv", threshold_percent: 2.5}
  - {check: fractional_quantity, action: reject, units: [ea, CA, PK]}
  - {check: duplicate_key, action: warn}
  - {check: over_shipment, action: warn}
  - {check: late_asn, action: warn, hours: 36}
sla:
  max_exception_rate: 0.05
  max_ack_latency: 5m
  max_late_asns: 0
`

const (
	shipTo = "# stores\n0067890\n\n  0099999  \n"
	prices = "item,unit_price,uom\n12345,10.00,EA\n12345,115.00,CA\nKT-100,9.25\n"
)

func policyFiles(partner string) map[string]string {
	return map[string]string{"acme.yaml": partner, "shipto.txt": shipTo, "prices/acme.csv": prices}
}

func TestLoadPolicies(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, policyFiles(withPolicies))
	set, err := partners.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := set.ByID("acme")
	var checks []partners.Check
	for _, pol := range p.Policies {
		checks = append(checks, pol.Check)
		if pol.File != filepath.Join(dir, "acme.yaml") || pol.Line < 5 || pol.Line > 12 {
			t.Errorf("%s at %s:%d", pol.Check, pol.File, pol.Line)
		}
	}
	want := []partners.Check{partners.CheckMissingSCAC, partners.CheckUnknownShipTo, partners.CheckPastDate, partners.CheckPriceList,
		partners.CheckFractionalQuantity, partners.CheckOverShipment, partners.CheckLateASN}
	if !reflect.DeepEqual(checks, want) {
		t.Fatalf("checks %v, want %v (duplicate_key is not a policy)", checks, want)
	}
	ps := p.Policies
	if ps[0].Action != partners.ActionHold || ps[1].Action != partners.ActionReject || ps[2].Action != partners.ActionWarn {
		t.Errorf("actions %s %s %s", ps[0].Action, ps[1].Action, ps[2].Action)
	}
	if want := []string{"0012345", "0067890", "0099999"}; !reflect.DeepEqual(ps[1].KnownShipTo, want) {
		t.Errorf("KnownShipTo %q, want %q", ps[1].KnownShipTo, want)
	}
	if ps[3].ThresholdPercent != "2.5" || ps[3].Prices == nil || ps[3].Prices.Len() != 3 ||
		ps[3].Prices.File != filepath.Join(dir, "prices", "acme.csv") {
		t.Errorf("price_list %+v", ps[3])
	}
	if pr, ok := ps[3].Prices.Lookup("12345", "ca"); !ok || pr.UnitPrice != "115.00" || pr.Line != 3 {
		t.Errorf("Lookup(12345, ca) = %+v, %v", pr, ok)
	}
	if want := []string{"EA", "CA", "PK"}; !reflect.DeepEqual(ps[4].Units, want) {
		t.Errorf("Units %q, want %q", ps[4].Units, want)
	}
	if ps[6].Hours != 36 {
		t.Errorf("Hours %d", ps[6].Hours)
	}
	if p.Duplicates.Document != partners.ActionAccept {
		t.Errorf("duplicate_key warn: Duplicates.Document = %s, want accept (forwarded, counted as a duplicate)", p.Duplicates.Document)
	}
	if p.SLA.MaxExceptionRate != "0.05" || p.SLA.MaxAckLatency != 5*time.Minute || p.SLA.MaxLateASNs == nil || *p.SLA.MaxLateASNs != 0 {
		t.Errorf("SLA %+v", p.SLA)
	}
}

func TestLoadPolicyDefaults(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, map[string]string{"p.yaml": minimal("p") + `policies:
  - {check: price_list, action: hold, file: p.csv}
  - {check: fractional_quantity, action: reject}
  - {check: late_asn, action: warn}
  - {check: duplicate_key, action: reject}
`, "p.csv": "A,1\n", "q.yaml": minimal("q")})
	set, err := partners.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := set.ByID("p")
	if p.Policies[0].ThresholdPercent != partners.DefaultThresholdPercent || !reflect.DeepEqual(p.Policies[1].Units, []string{"EA"}) ||
		p.Policies[2].Hours != partners.DefaultLateASNHours || p.Duplicates.Document != partners.ActionReject {
		t.Errorf("defaults: %+v, duplicates %+v", p.Policies, p.Duplicates)
	}
	q, _ := set.ByID("q")
	if q.Policies != nil || !q.SLA.IsZero() || q.Duplicates.Document != partners.DefaultDuplicateDocument {
		t.Errorf("a partner without policies: %+v %+v %+v", q.Policies, q.SLA, q.Duplicates)
	}
}

func TestLoadPolicyProblems(t *testing.T) {
	t.Parallel()
	// replace returns withPolicies with old replaced by new.
	replace := func(old, new string) string {
		if !strings.Contains(withPolicies, old) {
			panic("no " + old)
		}
		return strings.Replace(withPolicies, old, new, 1)
	}
	tests := []struct {
		name    string
		partner string
		files   map[string]string // besides the defaults
		want    []string
	}{
		{"unknown check", replace("check: past_date", "check: past_dates"),
			nil, []string{`acme.yaml:7: policies[2].check: unknown check "past_dates"; the checks are missing_scac, unknown_ship_to, past_date, price_list, fractional_quantity, duplicate_key, over_shipment, late_asn`}},
		{"no check", replace("{check: past_date, action: warn}", "{action: warn}"),
			nil, []string{`acme.yaml:7: policies[2].check: required: one of missing_scac, unknown_ship_to, past_date, price_list, fractional_quantity, duplicate_key, over_shipment, late_asn`}},
		{"check not a value", replace("check: past_date", "check: [past_date]"),
			nil, []string{`acme.yaml:7: policies[2].check: want a single value, not a list`}},
		{"no action", replace("{check: past_date, action: warn}", "{check: past_date}"),
			nil, []string{`acme.yaml:7: policies[2].action: required: one of reject, hold, warn`}},
		{"bad action", replace("{check: past_date, action: warn}", "{check: past_date, action: accept}"),
			nil, []string{`acme.yaml:7: policies[2].action: "accept" is not one of reject, hold, warn`}},
		{"a key of another check", replace("{check: past_date, action: warn}", "{check: past_date, action: warn, hours: 3}"),
			nil, []string{`acme.yaml:7: policies[2].hours: unknown key "hours"; known keys here: check, action`}},
		{"a check twice", replace("  - {check: past_date, action: warn}\n", "  - {check: past_date, action: warn}\n  - {check: past_date, action: hold}\n"),
			nil, []string{`acme.yaml:8: policies[3].check: past_date is already checked at line 7: one entry per check`}},
		{"an entry not a mapping", replace("  - {check: past_date, action: warn}\n", "  - past_date\n"),
			nil, []string{`acme.yaml:7: policies[2]: want a mapping such as {check: missing_scac, action: hold}, not a value`}},
		{"an empty entry", replace("  - {check: past_date, action: warn}\n", "  -\n"),
			nil, []string{`acme.yaml:7: policies[2]: want {check: .., action: ..}`}},
		{"policies not a list", "id: acme\nname: ACME\nstatus: active\npolicies: {check: past_date}\n",
			nil, []string{`acme.yaml:4: policies: want a list, not a mapping`}},
		{"no known ship-to", replace(`, known_ship_to: ["0012345", "0067890"], file: shipto.txt`, ""),
			nil, []string{`acme.yaml:6: policies[1].known_ship_to: required: the known ship-to IDs, as a list or a list file ("file")`}},
		{"empty known ship-to", replace(`known_ship_to: ["0012345", "0067890"], file: shipto.txt`, `known_ship_to: [""]`),
			nil, []string{`acme.yaml:6: policies[1].known_ship_to[0]: want a ship-to ID (N104), such as "0012345"`}},
		{"ship-to list missing", replace("file: shipto.txt", "file: stores.txt"),
			nil, []string{`acme.yaml:6: policies[1].file: cannot read the ship-to list: open DIR/stores.txt: no such file or directory`}},
		{"ship-to list empty", withPolicies, map[string]string{"shipto.txt": "# none yet\n\n"},
			[]string{`shipto.txt: the ship-to list has no IDs: write one ship-to ID (N104) per line`}},
		{"no price list", replace(`file: "prices/acme.csv", `, ""),
			nil, []string{`acme.yaml:8: policies[3].file: required: the price list CSV (item, unit_price, uom), relative to this file's folder`}},
		{"empty price list path", replace(`"prices/acme.csv"`, `""`),
			nil, []string{`acme.yaml:8: policies[3].file: must not be empty: the price list's path, relative to this file's folder`}},
		{"price list missing", replace(`"prices/acme.csv"`, `"prices/globex.csv"`),
			nil, []string{`acme.yaml:8: policies[3].file: cannot read the price list: open DIR/prices/globex.csv: no such file or directory`}},
		{"bad price rows", withPolicies, map[string]string{"prices/acme.csv": "item,unit_price,uom\n12345,10.00,EA\n12345,\"1,5\",CA\n,3\nKT-100,0\n12345,11,EA\nX\n"},
			[]string{
				`prices/acme.csv:3: unit_price: "1,5": want a decimal greater than 0, such as 10.00`,
				`prices/acme.csv:4: item: missing`,
				`prices/acme.csv:5: unit_price: "0": want a decimal greater than 0, such as 10.00`,
				`prices/acme.csv:6: item: "12345": priced twice in EA (first at line 2)`,
				`prices/acme.csv:7: 1 fields: want item, unit price and optionally a unit of measure`,
			}},
		{"bad threshold", replace("threshold_percent: 2.5", "threshold_percent: 2%"),
			nil, []string{`acme.yaml:8: policies[3].threshold_percent: "2%": want a percentage from 0, such as 2 or 2.5, without %`}},
		{"negative threshold", replace("threshold_percent: 2.5", "threshold_percent: -1"),
			nil, []string{`acme.yaml:8: policies[3].threshold_percent: "-1": want a percentage from 0, such as 2 or 2.5, without %`}},
		{"no units", replace("units: [ea, CA, PK]", "units: []"),
			nil, []string{`acme.yaml:9: policies[4].units: want at least one unit of measure, such as [EA, CA]; leave the key out for the default [EA]`}},
		{"a unit twice", replace("units: [ea, CA, PK]", "units: [ea, EA]"),
			nil, []string{`acme.yaml:9: policies[4].units[1]: EA is listed twice`}},
		{"units not a list", replace("units: [ea, CA, PK]", "units: EA"),
			nil, []string{`acme.yaml:9: policies[4].units: want a list, not a value`}},
		{"hours 0", replace("hours: 36", "hours: 0"),
			nil, []string{`acme.yaml:12: policies[7].hours: "0": want a whole number of hours from 1, such as 24`}},
		{"fractional hours", replace("hours: 36", "hours: 1.5"),
			nil, []string{`acme.yaml:12: policies[7].hours: "1.5": want a whole number of hours from 1, such as 24`}},
		{"duplicate_key and duplicates.document", withPolicies + "duplicates: {file: accept, document: hold}\n",
			nil, []string{`acme.yaml:10: policies[5]: duplicates.document (line 17) already says what to do with a duplicate document: keep one of the two`}},
		{"duplicate_key with duplicates.file only is fine", withPolicies + "duplicates: {file: accept}\n", nil, nil},
		{"exception rate above 1", replace("max_exception_rate: 0.05", "max_exception_rate: 5"),
			nil, []string{`acme.yaml:14: sla.max_exception_rate: "5": want a share from 0 to 1, such as 0.05 for 5%`}},
		{"exception rate as a percentage", replace("max_exception_rate: 0.05", "max_exception_rate: 5%"),
			nil, []string{`acme.yaml:14: sla.max_exception_rate: "5%": want a share from 0 to 1, such as 0.05 for 5%`}},
		{"latency without a unit", replace("max_ack_latency: 5m", "max_ack_latency: 5"),
			nil, []string{`acme.yaml:15: sla.max_ack_latency: "5": want a duration above 0, such as 5m, 90s or 1h30m`}},
		{"negative latency", replace("max_ack_latency: 5m", "max_ack_latency: -5m"),
			nil, []string{`acme.yaml:15: sla.max_ack_latency: "-5m": want a duration above 0, such as 5m, 90s or 1h30m`}},
		{"negative late ASNs", replace("max_late_asns: 0", "max_late_asns: -1"),
			nil, []string{`acme.yaml:16: sla.max_late_asns: "-1": want a number of ship notices from 0`}},
		{"late ASNs without late_asn", replace("  - {check: late_asn, action: warn, hours: 36}\n", ""),
			nil, []string{`acme.yaml:15: sla.max_late_asns: no late_asn policy counts late ship notices: add one, such as {check: late_asn, action: warn, hours: 24}`}},
		{"a bad late_asn entry is still a late_asn policy", replace("hours: 36", "hours: x"),
			nil, []string{`acme.yaml:12: policies[7].hours: "x": want a whole number of hours from 1, such as 24`}},
		{"unknown sla key", replace("max_late_asns: 0", "max_late_asn: 0"),
			nil, []string{`acme.yaml:16: sla.max_late_asn: unknown key "max_late_asn"; known keys here: max_exception_rate, max_ack_latency, max_late_asns`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := policyFiles(tt.partner)
			for k, v := range tt.files {
				files[k] = v
			}
			dir := writeDir(t, files)
			if tt.want == nil {
				if _, err := partners.Load(dir); err != nil {
					t.Fatal(err)
				}
				return
			}
			got := problemLines(t, dir)
			for i := range got {
				got[i] = strings.ReplaceAll(got[i], dir+string(filepath.Separator), "DIR/")
				got[i] = strings.TrimPrefix(got[i], "DIR/")
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestLoadPolicyFileErrors(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, policyFiles(strings.Replace(withPolicies, `"prices/acme.csv"`, `"prices/none.csv"`, 1)))
	_, err := partners.Load(dir)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing price list: %v does not wrap fs.ErrNotExist", err)
	}
	files := policyFiles(withPolicies)
	files["prices/acme.csv"] = "item,unit_price\nA,x\n"
	_, err = partners.Load(writeDir(t, files))
	var ple *partners.PriceListError
	if !errors.As(err, &ple) || ple.Line != 2 || ple.Column != "unit_price" || !errors.Is(err, partners.ErrPriceList) {
		t.Errorf("a bad price row: %v, want a *PriceListError at line 2 wrapping ErrPriceList", err)
	}
}

func TestLoadPolicyFilesInVersion(t *testing.T) {
	t.Parallel()
	version := func(files map[string]string) string {
		set, err := partners.Load(writeDir(t, files))
		if err != nil {
			t.Fatal(err)
		}
		return set.Version()
	}
	files := policyFiles(withPolicies)
	v1 := version(files)
	if v := version(files); v != v1 {
		t.Errorf("the same files in another folder: version %s, then %s", v1, v)
	}
	files["prices/acme.csv"] = prices + "NEW,1\n"
	if v := version(files); v == v1 {
		t.Error("a changed price list keeps the version, so a reload would not apply it")
	}
	files = policyFiles(withPolicies)
	files["shipto.txt"] = shipTo + "0000001\n"
	if v := version(files); v == v1 {
		t.Error("a changed ship-to list keeps the version")
	}
}
