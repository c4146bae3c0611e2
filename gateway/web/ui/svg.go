package ui

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/partnergate/partnergate/gateway/store"
)

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"pct":         pct,
	"ms":          ms,
	"when":        when,
	"whenp":       whenPtr,
	"bytes":       byteSize,
	"sparkline":   sparkline,
	"trend":       trendChart,
	"describe":    describe,
	"segmentList": segmentList,
	"statusText":  http.StatusText,
}

// pct formats a rate from 0 to 1 as a percentage.
func pct(r float64) string {
	if r == 0 {
		return "0%"
	}
	p := r * 100
	if p < 10 {
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + "%"
}

// ms formats milliseconds as a duration.
func ms(v float64) string {
	if v == 0 {
		return "–"
	}
	return time.Duration(v * float64(time.Millisecond)).String()
}

func when(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

func whenPtr(t *time.Time) string {
	if t == nil {
		return "–"
	}
	return when(*t)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// sparkline draws the daily exception rates of a trend as a small line, with
// a text alternative listing them.
func sparkline(days []store.ScorecardDay) template.HTML {
	const w, h, pad = 120.0, 28.0, 2.0
	if len(days) == 0 {
		return ""
	}
	top := 0.0
	var alt []string
	for _, d := range days {
		top = math.Max(top, d.ExceptionRate)
		alt = append(alt, d.Day[5:]+" "+pct(d.ExceptionRate))
	}
	if top == 0 {
		top = 1
	}
	var pts []string
	step := 0.0
	if len(days) > 1 {
		step = (w - 2*pad) / float64(len(days)-1)
	}
	for i, d := range days {
		x := pad + float64(i)*step
		y := h - pad - d.ExceptionRate/top*(h-2*pad)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	label := "Exception rate by day: " + strings.Join(alt, ", ")
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="spark" width="%g" height="%g" viewBox="0 0 %g %g" role="img" aria-label="%s">`,
		w, h, w, h, html.EscapeString(label))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(label))
	fmt.Fprintf(&b, `<line x1="0" y1="%g" x2="%g" y2="%g" class="base"/>`, h-pad, w, h-pad)
	if len(pts) == 1 {
		fmt.Fprintf(&b, `<circle cx="%s" r="2" class="pt"/>`, strings.Replace(pts[0], ",", `" cy="`, 1))
	} else {
		fmt.Fprintf(&b, `<polyline points="%s" class="line"/>`, strings.Join(pts, " "))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// trendChart draws a scorecard's trend: the volume of each day (transaction
// sets and CSV documents) as bars against the left axis, and the exception
// rate as a line against the right axis, with the days along the bottom.
func trendChart(days []store.ScorecardDay) template.HTML {
	const (
		w, h                     = 720.0, 260.0
		left, right, top, bottom = 56.0, 56.0, 16.0, 48.0
	)
	if len(days) == 0 {
		return ""
	}
	plotW, plotH := w-left-right, h-top-bottom
	var maxVol int64
	maxRate := 0.0
	for _, d := range days {
		maxVol = max(maxVol, d.TransactionSets+d.CSVDocuments)
		maxRate = math.Max(maxRate, d.ExceptionRate)
	}
	volTop := niceCeil(float64(max(maxVol, 1)))
	rateTop := 1.0 // a top whose quarters read as whole percentages
	for _, top := range []float64{0.04, 0.08, 0.2, 0.4, 0.8} {
		if maxRate <= top {
			rateTop = top
			break
		}
	}
	slot := plotW / float64(len(days))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-labelledby="trend-title trend-desc">`, w, h)
	b.WriteString(`<title id="trend-title">Daily volume and exception rate</title>`)
	var desc []string
	for _, d := range days {
		desc = append(desc, fmt.Sprintf("%s: %d sets and CSV documents, exception rate %s", d.Day,
			d.TransactionSets+d.CSVDocuments, pct(d.ExceptionRate)))
	}
	fmt.Fprintf(&b, `<desc id="trend-desc">%s</desc>`, html.EscapeString(strings.Join(desc, "; ")))
	// Grid and axes.
	for i := 0; i <= 4; i++ {
		y := top + plotH - float64(i)/4*plotH
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" class="grid"/>`, left, y, left+plotW, y)
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" class="tick" text-anchor="end">%s</text>`, left-6, y+4,
			strconv.FormatFloat(volTop*float64(i)/4, 'f', -1, 64))
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" class="tick" text-anchor="start">%s</text>`, left+plotW+6, y+4,
			pct(rateTop*float64(i)/4))
	}
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="axis"/>`, left, top+plotH, left+plotW, top+plotH)
	fmt.Fprintf(&b, `<text x="14" y="%.1f" class="axis-label" transform="rotate(-90 14 %.1f)" text-anchor="middle">sets + CSV documents</text>`,
		top+plotH/2, top+plotH/2)
	fmt.Fprintf(&b, `<text x="%g" y="%.1f" class="axis-label" transform="rotate(90 %g %.1f)" text-anchor="middle">exception rate</text>`,
		w-12, top+plotH/2, w-12, top+plotH/2)
	fmt.Fprintf(&b, `<text x="%.1f" y="%g" class="axis-label" text-anchor="middle">day (UTC)</text>`, left+plotW/2, h-6)
	every := max(1, len(days)/10)
	var line []string
	for i, d := range days {
		vol := float64(d.TransactionSets + d.CSVDocuments)
		bh := vol / volTop * plotH
		x := left + float64(i)*slot
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="bar"><title>%s: %d</title></rect>`,
			x+slot*0.15, top+plotH-bh, slot*0.7, bh, d.Day, int64(vol))
		cx := x + slot/2
		line = append(line, fmt.Sprintf("%.1f,%.1f", cx, top+plotH-d.ExceptionRate/rateTop*plotH))
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%g" class="tick" text-anchor="middle">%s</text>`, cx, top+plotH+16, d.Day[5:])
		}
	}
	fmt.Fprintf(&b, `<polyline points="%s" class="rate"/>`, strings.Join(line, " "))
	for i, d := range days {
		cx := left + float64(i)*slot + slot/2
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" class="rate-pt"><title>%s: %s</title></circle>`,
			cx, top+plotH-d.ExceptionRate/rateTop*plotH, d.Day, pct(d.ExceptionRate))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceCeil rounds v up so that a quarter of it is whole: to a multiple of 4
// up to 40, above that to 2, 4, 8 or 10 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 40 {
		return math.Max(4, math.Ceil(v/4)*4)
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{2, 4, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
