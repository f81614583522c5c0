package report

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

func TestClusters(t *testing.T) {
	wide := NewFrame(2).SetNumbers("cluster", []float64{0, 1}).SetStrings("cluster_name", []string{"big spenders", "typical"}).
		SetNumbers("customers", []float64{25, 75}).SetNumbers("z_recency_days", []float64{-0.5, 0.2}).
		SetNumbers("z_monetary", []float64{2.5, -0.8})
	long := NewFrame(4).SetNumbers("cluster", []float64{0, 0, 1, 1}).SetStrings("name", []string{"big spenders", "big spenders", "typical", "typical"}).
		SetNumbers("size", []float64{25, 25, 75, 75}).SetStrings("feature", []string{"recency_days", "monetary", "recency_days", "monetary"}).
		SetNumbers("z", []float64{-0.5, 2.5, 0.2, -0.8})
	// The job's layout (jobs/outputs.go, clusters table): section, name, label, index, value.
	sectioned := NewFrame(9).
		SetStrings("section", []string{"profile", "profile", "centroid_z", "centroid_z", "profile", "centroid_z", "centroid_z", "standardization", "fit"}).
		SetStrings("name", []string{"customers", "customer_share", "recency_days", "monetary", "customers", "recency_days", "monetary", "mean", "k"}).
		SetStrings("label", []string{"big spenders", "big spenders", "big spenders", "big spenders", "typical", "typical", "typical", "recency_days", ""}).
		SetNumbers("value", []float64{25, 0.25, -0.5, 2.5, 75, 0.2, -0.8, 190, 2})
	for name, f := range map[string]*Frame{"wide": wide, "long": long, "sectioned": sectioned} {
		t.Run(name, func(t *testing.T) {
			features, profiles, ok := readClusters(f)
			if !ok {
				t.Fatal("got no profiles")
			}
			if strings.Join(features, ",") != "recency_days,monetary" {
				t.Errorf("got features %v", features)
			}
			if len(profiles) != 2 || profiles[0].share != 0.25 || profiles[1].z[1] != -0.8 {
				t.Errorf("got profiles %+v", profiles)
			}
			c := snakeChart(features, profiles)
			if want := "“big spenders” (25% of customers) stands out most: 2.5 sd above the mean monetary."; c.Reading != want {
				t.Errorf("got %q, want %q", c.Reading, want)
			}
			if n := len(pathPoints(t, c.SVG, "curve snake")); n != 2 {
				t.Errorf("got %d points on the first line, want 2", n)
			}
		})
	}
	if _, _, ok := readClusters(NewFrame(1).SetStrings("cluster_name", []string{"x"})); ok {
		t.Error("got profiles without z columns, want none")
	}
}

func TestCLVHistogram(t *testing.T) {
	// 0..99 and one outlier: the 99th percentile (type 7) of 0..100 ∪ {10000} … every value is
	// counted once; the top 10% (11 customers: 90..99 and 10000) hold (945 + 10000)/14950.
	v := make([]float64, 0, 102)
	for i := 0; i < 100; i++ {
		v = append(v, float64(i))
	}
	v = append(v, 10000, nan)
	s := append([]float64(nil), finite(v)...)
	if len(s) != 101 {
		t.Fatalf("got %d finite values, want 101", len(s))
	}
	c := histogram(s, 0, 99, 24)
	var n int64
	for _, k := range c {
		n += k
	}
	if n != 101 {
		t.Errorf("histogram holds %d values, want 101", n)
	}
	ch, ok := clvChart(v)
	if !ok {
		t.Fatal("got no CLV chart")
	}
	if want := "Median predicted value 50; the top 10% of customers hold 73% of it."; ch.Reading != want {
		t.Errorf("got %q, want %q", ch.Reading, want)
	}
	if _, ok := clvChart([]float64{nan, 3}); ok {
		t.Error("got a chart from one value, want none")
	}
}

func TestQuantileSorted(t *testing.T) {
	// Type-7 quantiles of 1..5, by hand: h = q·(n−1).
	s := []float64{1, 2, 3, 4, 5}
	for _, tc := range []struct{ q, want float64 }{{0, 1}, {0.5, 3}, {0.9, 4.6}, {1, 5}} {
		if got := quantileSorted(s, tc.q); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("q %v: got %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestAliveChart(t *testing.T) {
	// Five repeat customers at 1 day (p_alive 0.9), five at 98 days (0.2), five one-time buyers
	// at 98 days (1, as BG/NBD has it) and two repeat customers at 50 days (0.5), one row null.
	// hi = niceMax(98, 6) = 100: 20 bands of 5 days; band 0 holds day 1, band 19 day 98, band 10
	// day 50 (fewer than 5 customers: no point on the line). Means by hand.
	var rec, alive, freq []float64
	add := func(k int, r, a, f float64) {
		for i := 0; i < k; i++ {
			rec, alive, freq = append(rec, r), append(alive, a), append(freq, f)
		}
	}
	add(5, 1, 0.9, 2)
	add(5, 98, 0.2, 3)
	add(5, 98, 1, 1)
	add(2, 50, 0.5, 2)
	add(1, nan, 0.5, 0)
	tests := []struct {
		name    string
		freq    []float64
		reading string
	}{
		{"repeat customers", freq, "Repeat customers who bought in the last 5 days are on average 90% likely to be alive; after 95 days, 20%."},
		{"no frequency column", nil, "Customers who bought in the last 5 days are on average 90% likely to be alive; after 95 days, 60%."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := aliveChart(rec, alive, tc.freq)
			if !ok {
				t.Fatal("got no chart")
			}
			if n := len(pathPoints(t, c.SVG, "curve mean")); n != 2 {
				t.Errorf("got %d band means, want 2", n)
			}
			if c.Reading != tc.reading {
				t.Errorf("got %q, want %q", c.Reading, tc.reading)
			}
			if n := strings.Count(c.SVG, `<circle`); n != 17 {
				t.Errorf("got %d dots, want 17", n)
			}
		})
	}
}

func TestQualityChart(t *testing.T) {
	m := &Manifest{}
	m.Rows.Read, m.Rows.Used, m.Rows.Rejected, m.Rows.AfterAsOf = 1000, 900, 60, 40
	m.Rows.RejectedByReason = map[string]int64{"bad_timestamp": 10, "null_customer_id": 50}
	c := qualityChart(m)
	re := regexp.MustCompile(`data-rows="(\d+)"`)
	var got []string
	for _, x := range re.FindAllStringSubmatch(c.SVG, -1) {
		got = append(got, x[1])
	}
	if want := "900,50,10,40"; strings.Join(got, ",") != want {
		t.Errorf("got bars %v, want %s (used, rejections largest first, after as-of)", got, want)
	}
	if want := "90% of 1,000 rows read were used; 60 rejected (mostly null_customer_id); 40 fall after the as-of date."; c.Reading != want {
		t.Errorf("got %q, want %q", c.Reading, want)
	}
}

func TestSegmentChart(t *testing.T) {
	// 100 customers and 1,000 of revenue (by hand): Champions 5% of customers make 40% of
	// revenue (ratio 8); Tiny is 0.5% with 10% (ratio 20, but below 1% of customers); Lost is
	// 94.5% with 50%; an empty segment is left out.
	f := NewFrame(4).SetStrings("segment", []string{"Champions", "Tiny", "Empty", "Lost"}).
		SetNumbers("customers", []float64{10, 1, 0, 189}).SetNumbers("revenue", []float64{400, 100, 0, 500})
	rows, ok := segmentRows(f)
	if !ok {
		t.Fatal("got no rows")
	}
	if len(rows) != 3 {
		t.Fatalf("got %d segments, want 3 (the empty one left out)", len(rows))
	}
	c := segmentChart(rows)
	if want := "Champions are 5% of customers and make 40% of revenue."; c.Reading != want {
		t.Errorf("got %q, want %q", c.Reading, want)
	}
	if n := strings.Count(c.SVG, `class="bar"`); n != 6 {
		t.Errorf("got %d bars, want 2 per segment = 6", n)
	}
	if _, ok := segmentRows(NewFrame(1).SetStrings("segment", []string{"x"})); ok {
		t.Error("got rows without customers and revenue columns, want none")
	}
}

func TestSnakeClipsTinyClusters(t *testing.T) {
	// One customer in 1,000 (0.1%) is 70 sd above the mean profit; the others lie within ±2.
	features := []string{"recency_days", "profit"}
	profiles := []clusterProfile{
		{name: "whale", size: 1, share: 0.001, z: []float64{0.2, 70}},
		{name: "recent", size: 600, share: 0.6, z: []float64{-0.8, 0.3}},
		{name: "lapsed", size: 399, share: 0.399, z: []float64{1.6, -0.4}},
	}
	c := snakeChart(features, profiles)
	if n := strings.Count(c.SVG, `class="clipped"`); n != 1 {
		t.Errorf("got %d clipped points, want the whale's profit only", n)
	}
	if !strings.Contains(c.SVG, ">70 sd<") {
		t.Error("the clipped point is not labelled with its value")
	}
	// The scale is set by the main clusters: niceMax(1.6, 4) = 2, so the top tick is 2 (not 70
	// or 80).
	if !strings.Contains(c.SVG, `class="tick">2<`) || strings.Contains(c.SVG, `class="tick">80<`) {
		t.Error("the y scale does not stop at the main clusters' ±2")
	}
	if want := "“lapsed” (40% of customers) stands out most: 1.6 sd above the mean recency_days; outliers: “whale” (0.1%)."; c.Reading != want {
		t.Errorf("got %q, want %q", c.Reading, want)
	}
}
