package ui_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// seeded is a dashboard with activity: acme-retail sent an order twice
// (the second held as a duplicate document), a ship notice for it and a ship
// notice that breaks the HL structure; globex sent one order.
type seeded struct {
	*testBundle
	orderFile, dupFile, asnFile, badFile, globexFile int64
	viewer, otto                                     *browser
}

func seed(t *testing.T, o *setupOpts) *seeded {
	t.Helper()
	b := setup(t, o)
	s := &seeded{testBundle: b}
	s.orderFile = b.send(t, "acme-retail", "850-first.edi", order(t, 601, "PO-7001", "ACMERETAIL"))
	s.dupFile = b.send(t, "acme-retail", "850-again.edi", order(t, 602, "PO-7001", "ACMERETAIL"))
	s.asnFile = b.send(t, "acme-retail", "856-asn.edi", shipNotice(t, 603, "ASN-9001", "PO-7001"))
	bad := strings.Replace(shipNotice(t, 604, "ASN-9002", "PO-7002"), "HL*4*3*I~", "HL*4*9*I~", 1)
	s.badFile = b.send(t, "acme-retail", "856-bad.edi", bad)
	s.globexFile = b.send(t, "globex", "850-globex.edi", order(t, 701, "PO-8001", "GLOBEX"))
	s.viewer = b.browser(t)
	s.viewer.login(tokViewer, "/ui/").expect(t, http.StatusSeeOther)
	s.otto = b.browser(t)
	s.otto.login(tokOnboard, "/ui/").expect(t, http.StatusSeeOther)
	return s
}

// rows returns the text of each table body row's first header cell.
var rowHeader = regexp.MustCompile(`<tr>\s*<th scope="row"><a href="/ui/partners/([a-z0-9-]+)`)

func partnerOrder(body string) []string {
	var out []string
	for _, m := range rowHeader.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestOverview(t *testing.T) {
	t.Parallel()
	s := seed(t, nil)
	p := s.viewer.get("/ui/").expect(t, http.StatusOK,
		"<h1>Partners</h1>", `<th scope="col" aria-sort="ascending"><a href="/ui/?order=desc&amp;sort=partner&amp;w=7d">Partner</a>`,
		`aria-label="Exception rate by day:`, "<svg class=\"spark\"", "duplicate_document <span class=\"muted\">(1)</span>",
		`<a href="/ui/exceptions?partner=acme-retail">2</a>`)
	if got := partnerOrder(p.body); strings.Join(got, ",") != "acme-retail,globex" {
		t.Errorf("rows by partner: %v", got)
	}
	// acme-retail: 4 files, 4 sets, 3 documents (the bad ship notice made
	// none), 2 of 4 sets with an exception.
	for _, want := range []string{`<td class="num">4</td>`, `<td class="num">3</td>`, `<td class="num">50%</td>`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("overview lacks %s", want)
		}
	}
	// Sorted by exception rate, the highest first; then by files, fewest first.
	p = s.viewer.get("/ui/?sort=rate").expect(t, http.StatusOK, `aria-sort="descending" class="num"><a href="/ui/?order=asc&amp;sort=rate&amp;w=7d">Exception rate`)
	if got := partnerOrder(p.body); strings.Join(got, ",") != "acme-retail,globex" {
		t.Errorf("rows by rate: %v", got)
	}
	p = s.viewer.get("/ui/?sort=files&order=asc").expect(t, http.StatusOK)
	if got := partnerOrder(p.body); strings.Join(got, ",") != "globex,acme-retail" {
		t.Errorf("rows by files ascending: %v", got)
	}
	for _, w := range []string{"24h", "30d"} {
		s.viewer.get("/ui/?w="+w).expect(t, http.StatusOK, `aria-current="true">`+w+`</a>`)
	}
	s.viewer.get("/ui/?w=1y").expect(t, http.StatusBadRequest, "w: want 24h, 7d or 30d")
	s.viewer.get("/ui/?sort=color").expect(t, http.StatusBadRequest, "sort: want one of")
	s.viewer.get("/ui/?order=up").expect(t, http.StatusBadRequest, "order: want asc or desc")
}

func TestSLABreach(t *testing.T) {
	t.Parallel()
	s := seed(t, &setupOpts{acmeExtra: "sla:\n  max_exception_rate: 0.1\n"})
	p := s.viewer.get("/ui/?sort=sla").expect(t, http.StatusOK, `<span class="badge bad">1 breach</span>`,
		"<li>exception_rate 0.5 above max_exception_rate 0.1</li>")
	if got := partnerOrder(p.body); strings.Join(got, ",") != "acme-retail,globex" {
		t.Errorf("rows by SLA: %v", got)
	}
	s.viewer.get("/ui/partners/acme-retail").expect(t, http.StatusOK,
		`<span class="badge bad">breached</span> exception_rate 0.5 above max_exception_rate 0.1`)
	s.viewer.get("/ui/partners/globex").expect(t, http.StatusOK, `<span class="muted">none set</span>`)
}

func TestPartnerPage(t *testing.T) {
	t.Parallel()
	s := seed(t, nil)
	p := s.viewer.get("/ui/partners/acme-retail").expect(t, http.StatusOK,
		"<h1>acme-retail <span class=\"muted\">acme-retail</span>",
		`<th scope="row">Files</th><td class="num">4</td>`,
		`<th scope="row">Transaction sets</th><td class="num">4</td>`,
		`<th scope="row">Sets rejected</th><td class="num">1</td>`,
		`<th scope="row">Documents kept</th><td class="num">3</td>`,
		`<th scope="row">Exception rate</th><td class="num">50%</td>`,
		"Acknowledgment latency p95", "Late ship notices", "Failed deliveries", "<span class=\"muted\">none set</span>",
		"<caption>Exceptions by check</caption>", "<td>duplicate_document</td>", "<caption>Exceptions by code</caption>",
		`<svg class="chart"`, `<title id="trend-title">Daily volume and exception rate</title>`,
		">sets + CSV documents</text>", ">exception rate</text>", ">day (UTC)</text>",
		"Channel health", "ZZ/ACMERETAIL", "REST API", "1 key", "accepted 3", "rejected 1",
		"Open exceptions", "duplicate_document", "x12_validation",
		fmt.Sprintf(`<a href="/ui/files/%d">856-bad.edi</a>`, s.badFile),
		fmt.Sprintf(`<a href="/ui/files/%d">850-first.edi</a>`, s.orderFile))
	p.lacks(t, "850-globex.edi")
	s.viewer.get("/ui/partners/globex?w=24h").expect(t, http.StatusOK, "No open exceptions.", "850-globex.edi")
	s.viewer.get("/ui/partners/nobody").expect(t, http.StatusNotFound, "There is no partner nobody")
}

func TestExceptionQueue(t *testing.T) {
	t.Parallel()
	s := seed(t, nil)
	q := s.otto.get("/ui/exceptions").expect(t, http.StatusOK,
		`<label for="f-partner">Partner`, `<label for="f-status">Status`, `<label for="f-check">Check`,
		`<option value="duplicate_document">`, "duplicate_document", "x12_validation", "Release selected",
		"Reject selected", "Resolve selected")
	s.otto.get("/ui/exceptions?partner=globex").expect(t, http.StatusOK, "No exceptions match.")
	s.otto.get("/ui/exceptions?check=x12_validation").expect(t, http.StatusOK, "x12_validation").lacks(t, "is a duplicate")
	s.otto.get("/ui/exceptions?status=maybe").expect(t, http.StatusBadRequest, "status: want")

	ids := map[string]string{}
	for _, m := range regexp.MustCompile(`name="id" value="(\d+)"[^>]*>[\s\S]*?<td>([a-z0-9_]+)( |<)`).FindAllStringSubmatch(q.body, -1) {
		ids[m[2]] = m[1]
	}
	hold, reject := ids["duplicate_document"], ids["x12_validation"]
	if hold == "" || reject == "" {
		t.Fatalf("exception IDs %v", ids)
	}
	csrf := q.csrf(t)
	act := func(action string, ids ...string) {
		t.Helper()
		p := s.otto.post("/ui/exceptions", map[string][]string{"csrf": {csrf}, "action": {action}, "id": ids,
			"partner": {"acme-retail"}, "status": {"all"}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/exceptions?partner=acme-retail&status=all" {
			t.Fatalf("%s: %d %q", action, p.status, p.header.Get("Location"))
		}
	}
	// Releasing a rejection is refused whole, and says why.
	act("release", hold, reject)
	s.otto.get("/ui/exceptions?partner=acme-retail&status=all").expect(t, http.StatusOK,
		`<div class="flash error" role="status">Nothing was done: cannot release exception `+reject)
	act("resolve")
	s.otto.get("/ui/exceptions").expect(t, http.StatusOK, "Tick at least one exception first.")
	act("resolve", reject)
	s.otto.get("/ui/exceptions?status=resolved").expect(t, http.StatusOK, "Resolved 1 exception (#"+reject+")",
		`<span class="badge resolved">resolved</span>`)
	act("reject", hold)
	s.otto.get("/ui/exceptions?status=rejected").expect(t, http.StatusOK, "Rejected 1 exception (#"+hold+")",
		"Rejected 1 document", "The partner is told in 997-")
	s.otto.get("/ui/exceptions").expect(t, http.StatusOK, "No exceptions match.")
}

func TestFilePage(t *testing.T) {
	t.Parallel()
	s := seed(t, nil)
	p := s.viewer.get(fmt.Sprintf("/ui/files/%d", s.badFile)).expect(t, http.StatusOK,
		"856-bad.edi", `<span class="badge rejected">rejected</span>`, "segment by segment", "1 with findings",
		// HL*4*9*I is the 15th segment of the set, the 17th of the file.
		`<li id="s17" class="finding error"><span class="n" title="byte offset`, `<span class="pos" title="set 856 0001, position 15">15</span><span class="seg">HL*4*9*I</span><ul aria-label="Findings on segment 17"><li>error 7 at HL02:`,
		`<li><a href="#s17">segment 17</a>, position 15 of set 856 0001: error 7 at HL02:`,
		"x12_validation", "997", fmt.Sprintf(`<a href="/ui/files/%d/raw">the whole file</a>`, s.badFile))
	p.lacks(t, "Showing the first")
	s.viewer.get(fmt.Sprintf("/ui/files/%d", s.orderFile)).expect(t, http.StatusOK, "25 segments.",
		`<span class="seg">BEG*00*SA*PO-7001**20261126</span>`, `<a href="/ui/search?q=PO-7001">PO-7001</a>`).
		lacks(t, `class="finding`, "with findings")
	s.viewer.get(fmt.Sprintf("/ui/files/%d", s.dupFile)).expect(t, http.StatusOK, "duplicate_document",
		`<span class="badge held">held</span>`)
	raw := s.viewer.get(fmt.Sprintf("/ui/files/%d/raw", s.orderFile)).expect(t, http.StatusOK, "ISA*00*", "BEG*00*SA*PO-7001")
	if cd := raw.header.Get("Content-Disposition"); cd != `attachment; filename=850-first.edi` {
		t.Errorf("Content-Disposition %q", cd)
	}
	s.viewer.get("/ui/files/999999").expect(t, http.StatusNotFound, "There is no file 999999")
	s.viewer.get("/ui/files/x").expect(t, http.StatusBadRequest, "positive integer")
}

func TestFilePageWrongReceiver(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	br := b.browser(t)
	br.login(tokViewer, "/ui/").expect(t, http.StatusSeeOther)
	wrong := strings.Replace(order(t, 801, "PO-W", "ACMERETAIL"), "ZZ*NORTHWIND      ", "ZZ*SOMEONEELSE   ", 1)
	id := b.send(t, "acme-retail", "850-wrong.edi", wrong)
	br.get(fmt.Sprintf("/ui/files/%d", id)).expect(t, http.StatusOK, "wrong_receiver",
		`<li id="s1" class="finding error">`, "error 008: ISA07/ISA08")
}

func TestFilePageCapped(t *testing.T) {
	t.Parallel()
	b := setup(t, &setupOpts{maxRawBytes: 200})
	br := b.browser(t)
	br.login(tokViewer, "/ui/").expect(t, http.StatusSeeOther)
	id := b.send(t, "acme-retail", "850.edi", order(t, 901, "PO-CAP", "ACMERETAIL"))
	p := br.get(fmt.Sprintf("/ui/files/%d", id)).expect(t, http.StatusOK, "Showing the first 200 B of",
		fmt.Sprintf(`<a href="/ui/files/%d/raw">download the whole file</a>`, id), `<span class="seg">GS*PO*ACMERETAIL`)
	p.lacks(t, "BEG*00*SA") // beyond the cap
}

func TestSearch(t *testing.T) {
	t.Parallel()
	s := seed(t, nil)
	order := func(body string, wants ...string) {
		t.Helper()
		last := -1
		for _, w := range wants {
			i := strings.Index(body, w)
			if i < 0 {
				t.Fatalf("the page lacks %q", w)
			}
			if i < last {
				t.Errorf("%q comes too early", w)
			}
			last = i
		}
	}
	p := s.viewer.get("/ui/search?q=PO-7001").expect(t, http.StatusOK, "Lifecycle of PO-7001", "3 documents across partners",
		`<span class="badge held">held</span>`, "duplicate_document", "Fills orders")
	order(p.body, "850 · purchase_order PO-7001", "850 · purchase_order PO-7001", "856 · ship_notice ASN-9001")
	p.lacks(t, "PO-8001", "ASN-9002")
	// A shipment number finds the orders it fills.
	p = s.viewer.get("/ui/search?q=ASN-9001").expect(t, http.StatusOK, "3 documents")
	order(p.body, "850 · purchase_order PO-7001", "856 · ship_notice ASN-9001")
	s.viewer.get("/ui/search?q=PO-8001").expect(t, http.StatusOK, "1 document across", "globex")
	s.viewer.get("/ui/search?q=NOPE").expect(t, http.StatusOK, "No order, shipment or return numbered NOPE")
	s.viewer.get("/ui/search").expect(t, http.StatusOK, `<label for="q">Order or shipment number`).lacks(t, "Lifecycle")
	s.viewer.get("/ui/search?q="+strings.Repeat("9", 81)).expect(t, http.StatusBadRequest, "too long")
}

func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	br := b.browser(t)
	br.auth = tokViewer
	p := br.get("/ui/nothing/here").expect(t, http.StatusNotFound, "There is no page at /ui/nothing/here.")
	if ct := p.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
}
