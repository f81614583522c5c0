package report

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/rfmjob/rfm/analytics/pareto"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

// fixture describes a synthetic output directory of one date, written the way the job writes
// its tables (jobs/parquetio), so that the report reads real Parquet.
type fixture struct {
	date      string
	customers int
	// optional adds the tables and columns of the views being built elsewhere (profit, tiers,
	// cost to serve, clusters, migration, CLV), so that every chart lights up.
	optional bool
}

// fixtureDay is the as-of day of every fixture: 2024-12-31.
const fixtureDay = 20088

var fixtureSegments = []string{"Champions", "Loyal Customers", "Potential Loyalist", "New Customers", "Promising",
	"Need Attention", "About To Sleep", "At Risk", "Can't Lose Them", "Lost", "Others", "No purchase"}

var fixtureTiers = []string{"platinum", "gold", "iron", "lead"}

// write creates the fixture's outputs and manifest under dir and returns the manifest.
func (fx fixture) write(t testing.TB, dir string) *Manifest {
	t.Helper()
	n := fx.customers
	rng := rand.New(rand.NewPCG(8, 1))
	ids := make([]string, n)
	monetary, profit := make([]int64, n), make([]int64, n)
	recency := make([]int32, n)
	freq := make([]int64, n)
	r, f, m := make([]int8, n), make([]int8, n), make([]int8, n)
	seg, tier := make([]string, n), make([]string, n)
	pAlive, clv := make([]float64, n), make([]float64, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("C%05d", i)
		freq[i] = 1 + int64(rng.ExpFloat64()*3)
		monetary[i] = int64(math.Exp(rng.NormFloat64()*1.1+4.5)*100) * freq[i] / 2
		recency[i] = int32(rng.ExpFloat64() * 120)
		r[i] = int8(5 - min(4, int(recency[i])/60))
		f[i] = int8(min(5, freq[i]))
		m[i] = int8(1 + min(4, int(math.Log10(float64(monetary[i])/100+1)*1.6)))
		seg[i] = fixtureSegments[(int(r[i])*3+int(f[i]))%10]
		profit[i] = monetary[i]*3/10 - 1500 - int64(rng.IntN(2000))
		pAlive[i] = math.Exp(-float64(recency[i]) / 150)
		clv[i] = pAlive[i] * float64(monetary[i]) / 100 * 0.8
	}
	// One customer without purchases, as the job writes them.
	freq[n-1], r[n-1], f[n-1], m[n-1], seg[n-1], monetary[n-1] = 0, 0, 0, 0, "No purchase", -2500
	scored := func(i int) bool { return freq[i] > 0 }

	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return profit[order[a]] > profit[order[b]] })
	for k, i := range order {
		share := float64(k) / float64(n)
		switch {
		case profit[i] < 0:
			tier[i] = "lead"
		case share < 0.05:
			tier[i] = "platinum"
		case share < 0.20:
			tier[i] = "gold"
		default:
			tier[i] = "iron"
		}
	}

	pr, err := pareto.Analyze(ids, monetary, pareto.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cols := []pq.Column{
		pq.String("customer_id", ids),
		pq.ConstDate("as_of", fixtureDay),
		pq.OptionalInt32("recency_days", recency, scored),
		pq.Int64("frequency", freq),
		pq.Money("monetary", monetary, 2),
		pq.SmallInt("r_score", r, true),
		pq.SmallInt("f_score", f, true),
		pq.SmallInt("m_score", m, true),
		pq.String("segment", seg),
	}
	if fx.optional {
		cols = append(cols, pq.Money("profit", profit, 2), pq.String("tier", tier),
			pq.OptionalFloat64("p_alive", pAlive, scored), pq.OptionalFloat64("clv", clv, scored))
	}
	fx.table(t, dir, "customers", n, cols)

	// segments
	segN, segRev := make([]int64, len(fixtureSegments)), make([]int64, len(fixtureSegments))
	for i := range ids {
		for k, s := range fixtureSegments {
			if s == seg[i] {
				segN[k]++
				segRev[k] += monetary[i]
			}
		}
	}
	fx.table(t, dir, "segments", len(fixtureSegments), []pq.Column{
		pq.String("segment", fixtureSegments), pq.Int64("customers", segN), pq.Money("revenue", segRev, 2)})

	// pareto: summary, Lorenz and (optionally) whale rows, long form
	var curve, metric []string
	var x, v []float64
	add := func(c, mt string, cx, val float64) {
		curve, metric, x, v = append(curve, c), append(metric, mt), append(x, cx), append(v, val)
	}
	s := pr.Summary
	add("summary", "customers", 0, float64(s.Customers))
	add("summary", "total_value", 0, float64(s.TotalValue)/100)
	add("summary", "top_20pct_share", 0.2, s.Top20PctShare)
	add("summary", "a_customers", 0, float64(s.ACustomers))
	add("summary", "b_customers", 0, float64(s.BCustomers))
	add("summary", "c_customers", 0, float64(s.CCustomers))
	add("summary", "gini", 0, s.Gini)
	for _, pt := range pr.Lorenz {
		add("lorenz", "value_share", pt.CustomerShare, pt.ValueShare)
	}
	if fx.optional {
		var total float64
		cum := make([]float64, n+1)
		for k, i := range order {
			cum[k+1] = cum[k] + float64(profit[i])
			total += float64(profit[i])
		}
		for j := 0; j <= 100; j++ {
			pos := float64(j) * float64(n) / 100
			k := int(pos)
			y := cum[k]
			if k < n {
				y += (pos - float64(k)) * float64(profit[order[k]])
			}
			add("whale", "profit_share", float64(j)/100, y/total)
		}
	}
	fx.table(t, dir, "pareto", len(curve), []pq.Column{
		pq.ConstDate("as_of", fixtureDay), pq.String("curve", curve), pq.String("metric", metric),
		pq.Float64("customer_share", x), pq.Float64("value", v)})

	if fx.optional {
		fx.writeOptional(t, dir, tier, profit)
	}

	man := &Manifest{Version: "test", AsOf: fx.date, Engine: "native", Customers: int64(n)}
	man.Window.Timezone = "UTC"
	man.Rows.Read, man.Rows.Used, man.Rows.Rejected = 10150, 10000, 30
	man.Rows.RejectedByReason = map[string]int64{"null_customer_id": 25, "bad_timestamp": 5}
	man.Rows.AfterAsOf = 120
	man.Highlights.Top20PctShare, man.Highlights.Gini = s.Top20PctShare, s.Gini
	man.Stages = append(man.Stages, struct {
		Name    string  `json:"name"`
		Seconds float64 `json:"seconds"`
	}{"aggregate", 0.25})
	data, err := json.Marshal(man)
	if err != nil {
		t.Fatal(err)
	}
	mdir := filepath.Join(dir, "manifests", "as_of="+fx.date)
	if err := os.MkdirAll(mdir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mdir, "manifest.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return man
}

// writeOptional writes the tiers, cost_to_serve, clusters and migration tables.
func (fx fixture) writeOptional(t testing.TB, dir string, tier []string, profit []int64) {
	k := len(fixtureTiers)
	tn, tp := make([]int64, k), make([]int64, k)
	var totalP int64
	for i := range tier {
		for j, name := range fixtureTiers {
			if name == tier[i] {
				tn[j]++
				tp[j] += profit[i]
			}
		}
		totalP += profit[i]
	}
	cs, ps := make([]float64, k), make([]float64, k)
	for j := range fixtureTiers {
		cs[j] = float64(tn[j]) / float64(len(tier))
		ps[j] = float64(tp[j]) / float64(totalP)
	}
	fx.table(t, dir, "tiers", k, []pq.Column{pq.String("tier", fixtureTiers), pq.Int64("customers", tn),
		pq.Float64("customer_share", cs), pq.Money("profit", tp, 2), pq.Float64("profit_share", ps)})

	acts := []string{"order_handling", "delivery", "returns", "support_contact"}
	var ctier, cact, ccust []string
	var ccost []int64
	for j, tr := range fixtureTiers {
		for a, act := range acts {
			ctier, cact, ccust = append(ctier, tr), append(cact, act), append(ccust, "")
			ccost = append(ccost, tn[j]*int64(300*(a+1)+200*j))
		}
	}
	// Per-customer rows the chart must not add again.
	ctier, cact, ccust, ccost = append(ctier, "gold"), append(cact, "delivery"), append(ccust, "C00001"), append(ccost, 99999999)
	fx.table(t, dir, "cost_to_serve", len(ctier), []pq.Column{pq.String("tier", ctier), pq.String("activity", cact),
		pq.OptionalString("customer_id", ccust), pq.Money("cost", ccost, 2)})

	names := []string{"recent, frequent, high value", "typical", "lapsed big spenders", "lapsed, low value"}
	fx.table(t, dir, "clusters", 4, []pq.Column{
		pq.Int32("cluster", []int32{0, 1, 2, 3}), pq.String("cluster_name", names),
		pq.Int64("customers", []int64{80, 190, 60, 70}),
		pq.Float64("z_recency_days", []float64{-1.1, -0.2, 0.9, 1.4}),
		pq.Float64("z_frequency", []float64{1.8, 0.1, 0.4, -0.9}),
		pq.Float64("z_monetary", []float64{2.1, -0.1, 1.2, -1.0}),
	})

	states := append(append([]string(nil), fixtureTiers...), "(outside)")
	var mk, from, to []string
	var mn []int64
	for i, a := range states {
		for j, b := range states {
			if a == "(outside)" && b == "(outside)" {
				continue
			}
			c := int64(3)
			if i == j {
				c = 40
			}
			mk, from, to, mn = append(mk, "tier"), append(from, a), append(to, b), append(mn, c)
		}
	}
	mk, from, to, mn = append(mk, "segment"), append(from, "Champions"), append(to, "Lost"), append(mn, 7)
	fx.table(t, dir, "migration", len(mk), []pq.Column{pq.String("kind", mk), pq.String("from", from),
		pq.String("to", to), pq.Int64("customers", mn)})
}

// table writes one output table as DIR/<name>/as_of=D/data.parquet.
func (fx fixture) table(t testing.TB, dir, name string, n int, cols []pq.Column) {
	t.Helper()
	d := filepath.Join(dir, name, "as_of="+fx.date)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := pq.WriteFile(filepath.Join(d, "data.parquet"), name, n, cols); err != nil {
		t.Fatal(err)
	}
}
