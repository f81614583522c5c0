package report_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/report"
)

var (
	pageFlag       = flag.String("page", "", "TestReportInBrowser: open this report page instead of a generated one")
	screenshotFlag = flag.String("screenshot", "", "TestReportInBrowser: save the full-page screenshot here (default: a temporary file)")
)

// chromiumPath is Debian's chromium, or $RFM_CHROMIUM.
func chromiumPath() string {
	if p := os.Getenv("RFM_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// chartInfo is what the browser reports of one rendered chart.
type chartInfo struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Reading  string  `json:"reading"`
	Width    float64 `json:"width"`
	Height   float64 `json:"height"`
	Shapes   int     `json:"shapes"`
	Texts    int     `json:"texts"`
	AxisText int     `json:"axisTitles"`
}

// Charts a full run draws (profit with activities, tiers, clusters, CLV, and a previous date for
// migration), and those every run draws (RFM, Pareto, the manifest).
var (
	everyChart = []string{"rf-customers", "rf-monetary", "segments", "lorenz", "tiers", "whale", "cost-to-serve",
		"migration", "flow", "clusters", "clv", "alive", "quality"}
	coreChart = []string{"rf-customers", "rf-monetary", "segments", "lorenz", "quality"}
)

// fullRun runs the job twice on generated data, as two dates of a monthly series (the month end
// before the data's last day, then the last day against it), with profit from order costs and
// an activity table, and returns the output directory and the last date. Its report is the page
// the browser test opens: every chart drawn from the job's real outputs.
func fullRun(t *testing.T) (dir, date string) {
	t.Helper()
	dir = t.TempDir()
	data := gen.Options{Customers: 1500, Transactions: 30000, Seed: 7, BadRowShare: 0.001}
	in, acts := filepath.Join(dir, "transactions.parquet"), filepath.Join(dir, "activities.parquet")
	if err := gen.WriteFile(in, data); err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteActivityFile(acts, data, 0); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{}
	cfg.Input.Transactions = in
	cfg.Input.Columns.Cost = "cost"
	cfg.Output.Dir = filepath.Join(dir, "out")
	cfg.Profit.Activities.Path = acts
	cfg.Profit.Activities.Columns.Cost = "cost"
	cfg.Profit.Rates = map[string]float64{gen.ActivityOrder: 0.6, gen.ActivityDelivery: 9, gen.ActivityReturn: 20,
		gen.ActivitySupport: 3, gen.ActivitySalesVisit: 60, gen.ActivityMarketingTouch: 2.5}
	date = data.End()
	last, err := time.Parse(time.DateOnly, date)
	if err != nil {
		t.Fatal(err)
	}
	prev := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1).Format(time.DateOnly)
	ctx := context.Background()
	if _, err := jobs.Run(ctx, cfg, prev, jobs.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.Run(ctx, cfg, date, jobs.RunOptions{Previous: prev}); err != nil {
		t.Fatal(err)
	}
	return cfg.Output.Dir, date
}

// TestReportInBrowser opens a report in headless Chromium as a reader would: it must load with
// no console error, no exception and no network request, and every expected chart must be laid
// out with a size, shapes, a title, axis titles and a reading. The page is the report of a full
// run of the job (fullRun), unless -page names another. It saves a full-page screenshot and
// prints the page to PDF (the page must be printable). In CI (CI=true) a missing Chromium is a
// failure, not a skip: .ci/run installs it.
func TestReportInBrowser(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found at /usr/bin/chromium (install Debian's chromium, or set RFM_CHROMIUM)")
		}
		t.Skip("chromium not installed; this test runs in CI, where .ci/run installs it")
	}
	page := *pageFlag
	want := everyChart
	if page == "" {
		dir, date := fullRun(t)
		page = report.PagePath(dir, date)
		if _, err := os.Stat(page); err != nil {
			t.Fatalf("the run wrote no report: %v", err)
		}
	} else {
		want = coreChart // a given page: at least the charts every run can draw
	}
	page, _ = filepath.Abs(page)
	shot := *screenshotFlag
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "report.png")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	browserWS := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`DevTools listening on (ws://\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				browserWS <- m[1]
			}
		}
	}()
	var endpoint string
	select {
	case endpoint = <-browserWS:
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not open its DevTools endpoint in 30s")
	}
	target, err := pageTarget(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := dialWS(target)
	if err != nil {
		t.Fatal(err)
	}
	c := newCDP(ws)
	defer c.close()
	for _, m := range []string{"Runtime.enable", "Log.enable", "Network.enable", "Page.enable"} {
		if err := c.call(m, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.call("Emulation.setDeviceMetricsOverride", map[string]any{
		"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		t.Fatal(err)
	}
	pageURL := "file://" + page
	if err := c.call("Page.navigate", map[string]any{"url": pageURL}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.waitEvent("Page.loadEventFired", 30*time.Second); err != nil {
		t.Fatal(err)
	}

	var eval struct {
		Result struct {
			Value string `json:"value"`
		} `json:"result"`
	}
	script := `JSON.stringify([...document.querySelectorAll("figure.chart")].map(f => {
		const svg = f.querySelector("svg"), r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
		return {id: f.id.replace(/^chart-/, ""), title: (f.querySelector("h3") || {}).textContent || "",
			reading: (f.querySelector(".reading") || {}).textContent || "", width: r.width, height: r.height,
			shapes: svg ? svg.querySelectorAll("rect,path,circle,line").length : 0,
			texts: svg ? svg.querySelectorAll("text").length : 0,
			axisTitles: svg ? svg.querySelectorAll("text.axis-title").length : 0};
	}))`
	if err := c.call("Runtime.evaluate", map[string]any{"expression": script, "returnByValue": true}, &eval); err != nil {
		t.Fatal(err)
	}
	var charts []chartInfo
	if err := json.Unmarshal([]byte(eval.Result.Value), &charts); err != nil {
		t.Fatalf("chart list: %v (%q)", err, eval.Result.Value)
	}
	got := map[string]chartInfo{}
	for _, ch := range charts {
		got[ch.ID] = ch
	}
	for _, id := range want {
		ch, ok := got[id]
		switch {
		case !ok:
			t.Errorf("chart %q missing", id)
		case ch.Width < 300 || ch.Height < 120:
			t.Errorf("chart %q laid out at %.0f × %.0f px, want at least 300 × 120", id, ch.Width, ch.Height)
		case ch.Shapes < 4 || ch.Texts < 4:
			t.Errorf("chart %q has %d shapes and %d texts: empty", id, ch.Shapes, ch.Texts)
		case ch.Title == "" || len(ch.Reading) < 20:
			t.Errorf("chart %q: title %q, reading %q", id, ch.Title, ch.Reading)
		case ch.AxisText < 1:
			t.Errorf("chart %q has no axis title", id)
		}
	}

	var metrics struct {
		CSSContentSize struct{ Width, Height float64 } `json:"cssContentSize"`
	}
	if err := c.call("Page.getLayoutMetrics", nil, &metrics); err != nil {
		t.Fatal(err)
	}
	var png struct{ Data string }
	if err := c.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": 1280, "height": metrics.CSSContentSize.Height, "scale": 1}}, &png); err != nil {
		t.Fatal(err)
	}
	img, err := base64.StdEncoding.DecodeString(png.Data)
	if err != nil || len(img) < 10000 {
		t.Fatalf("screenshot: %d bytes, %v", len(img), err)
	}
	if err := os.WriteFile(shot, img, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of %d charts (1280 × %.0f px): %s", len(charts), metrics.CSSContentSize.Height, shot)
	var pdf struct{ Data string }
	if err := c.call("Page.printToPDF", map[string]any{"printBackground": true}, &pdf); err != nil {
		t.Fatal(err)
	}
	if raw, _ := base64.StdEncoding.DecodeString(pdf.Data); !strings.HasPrefix(string(raw), "%PDF") {
		t.Error("printing to PDF gave no PDF")
	}

	for _, e := range c.eventsNamed("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded", "Network.requestWillBeSent") {
		var p struct {
			Type    string `json:"type"`
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
			Entry struct {
				Level, Text, URL string
			} `json:"entry"`
			ExceptionDetails struct {
				Text string `json:"text"`
			} `json:"exceptionDetails"`
		}
		json.Unmarshal(e.Params, &p)
		switch e.Method {
		case "Runtime.consoleAPICalled":
			if p.Type == "error" || p.Type == "assert" || p.Type == "warning" {
				t.Errorf("console %s: %s", p.Type, e.Params)
			}
		case "Runtime.exceptionThrown":
			t.Errorf("exception: %s", p.ExceptionDetails.Text)
		case "Log.entryAdded":
			if p.Entry.Level == "error" || p.Entry.Level == "warning" {
				t.Errorf("browser log %s: %s %s", p.Entry.Level, p.Entry.Text, p.Entry.URL)
			}
		case "Network.requestWillBeSent":
			if p.Request.URL != pageURL {
				t.Errorf("network request to %s, want none besides the page itself", p.Request.URL)
			}
		}
	}
	if n := len(c.eventsNamed("Network.requestWillBeSent")); n > 1 {
		t.Errorf("got %d requests, want only the page's", n)
	}
}
