package jobs

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/store"
)

type migrationRow struct {
	AsOf      int32   `parquet:"as_of,date"`
	Previous  int32   `parquet:"previous_as_of,date"`
	Kind      string  `parquet:"kind"`
	From      string  `parquet:"from"`
	To        *string `parquet:"to,optional"`
	Customers int64   `parquet:"customers"`
}

type customerMove struct {
	CustomerID string  `parquet:"customer_id"`
	Tier       string  `parquet:"tier"`
	TierPrev   *string `parquet:"tier_prev,optional"`
	TierChange string  `parquet:"tier_change"`
	Earned     *string `parquet:"tier_earned,optional"`
}

// TestMigrationBetweenDates runs two dates of a series and checks the migration view against the
// two committed customer tables: every customer's tier_prev is its tier in the previous output,
// tier_change agrees with the ladder, and the tier matrix counts each customer once.
func TestMigrationBetweenDates(t *testing.T) {
	in := generatedInput(t, gen.Options{Customers: 400, Transactions: 8000, Seed: 9, Days: 365})
	for _, protect := range []bool{false, true} {
		cfg := demoConfig(t, in, t.TempDir())
		if protect {
			cfg.Migration.PeriodsBelow = 2
		}
		if _, err := Run(context.Background(), cfg, "2023-06-30", RunOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := Run(context.Background(), cfg, "2023-12-31", RunOptions{Previous: "2023-06-30"}); err != nil {
			t.Fatal(err)
		}
		prev, err := parquet.ReadFile[customerMove](filepath.Join(store.PartitionDir(cfg.Output.Dir, outputs.TableCustomers, "2023-06-30"), store.DataFile))
		if err != nil {
			t.Fatal(err)
		}
		prevTier := map[string]string{}
		for _, c := range prev {
			prevTier[c.CustomerID] = c.Tier
		}
		cur, err := parquet.ReadFile[customerMove](filepath.Join(store.PartitionDir(cfg.Output.Dir, outputs.TableCustomers, "2023-12-31"), store.DataFile))
		if err != nil {
			t.Fatal(err)
		}
		rank := map[string]int{"platinum": 0, "gold": 1, "iron": 2, "lead": 3}
		changes := map[string]int{}
		for _, c := range cur {
			p, was := prevTier[c.CustomerID]
			if was != (c.TierPrev != nil) || (was && *c.TierPrev != p) {
				t.Fatalf("%s: tier_prev %v, previous output says %q (present %v)", c.CustomerID, c.TierPrev, p, was)
			}
			want := "new"
			switch {
			case !was && c.TierChange == "returned":
				want = "returned"
			case was && rank[c.Tier] < rank[p]:
				want = "up"
			case was && rank[c.Tier] > rank[p]:
				want = "down"
			case was:
				want = "same"
			}
			if c.TierChange != want {
				t.Errorf("%s: %s → %s is %q, want %q", c.CustomerID, p, c.Tier, c.TierChange, want)
			}
			changes[c.TierChange]++
			if protect && c.Earned != nil && was && rank[*c.Earned] > rank[p] && c.Tier != p {
				t.Errorf("%s: earned %s below held %s in its first period below, but dropped to %s", c.CustomerID, *c.Earned, p, c.Tier)
			}
		}
		if changes["up"] == 0 || changes["down"]+changes["same"] == 0 || changes["new"] == 0 {
			t.Errorf("protect=%v: changes %v: the fixture should move customers every way", protect, changes)
		}
		if protect && changes["down"] != 0 {
			t.Errorf("with two periods below required, %d customers dropped after one", changes["down"])
		}
		rows, err := parquet.ReadFile[migrationRow](filepath.Join(store.PartitionDir(cfg.Output.Dir, outputs.TableMigration, "2023-12-31"), store.DataFile))
		if err != nil {
			t.Fatal(err)
		}
		var inMatrix int64
		asOf, _ := ParseDay("2023-12-31")
		prevDay, _ := ParseDay("2023-06-30")
		for _, r := range rows {
			if r.AsOf != asOf || r.Previous != prevDay {
				t.Fatalf("migration row %+v: as_of %s, previous_as_of %s, want 2023-12-31 and 2023-06-30", r, FormatDay(r.AsOf), FormatDay(r.Previous))
			}
			if r.Kind == "tier" && r.To != nil && *r.To != "(outside)" {
				inMatrix += r.Customers
			}
		}
		if inMatrix != int64(len(cur)) {
			t.Errorf("tier matrix counts %d current customers, want %d", inMatrix, len(cur))
		}
	}
}

// TestTiersFromClusters runs the clusters tier method end to end: every customer of a cluster
// shares its tier, and clusters with higher mean profit never get a lower tier.
func TestTiersFromClusters(t *testing.T) {
	cfg := demoConfig(t, generatedInput(t, gen.Options{Customers: 600, Transactions: 9000, Seed: 2, Days: 365}), t.TempDir())
	cfg.Tiers.Method = "clusters"
	if _, err := Run(context.Background(), cfg, "2023-12-31", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Cluster *int32 `parquet:"cluster,optional"`
		Tier    string `parquet:"tier"`
		Profit  int64  `parquet:"profit"`
	}
	rows, err := parquet.ReadFile[row](filepath.Join(store.PartitionDir(cfg.Output.Dir, outputs.TableCustomers, "2023-12-31"), store.DataFile))
	if err != nil {
		t.Fatal(err)
	}
	tierOf := map[int32]string{}
	sum, n := map[int32]int64{}, map[int32]int64{}
	for _, r := range rows {
		if r.Cluster == nil {
			continue
		}
		c := *r.Cluster
		if tt, ok := tierOf[c]; ok && tt != r.Tier {
			t.Fatalf("cluster %d has customers in %s and %s", c, tt, r.Tier)
		}
		tierOf[c] = r.Tier
		sum[c] += r.Profit
		n[c]++
	}
	rank := map[string]int{"platinum": 0, "gold": 1, "iron": 2, "lead": 3}
	for a := range tierOf {
		for b := range tierOf {
			ma, mb := float64(sum[a])/float64(n[a]), float64(sum[b])/float64(n[b])
			if ma > mb && rank[tierOf[a]] > rank[tierOf[b]] {
				t.Errorf("cluster %d (mean profit %.0f) is %s below cluster %d (%.0f) in %s", a, ma, tierOf[a], b, mb, tierOf[b])
			}
		}
	}
	if len(tierOf) < 3 {
		t.Errorf("only %d clusters", len(tierOf))
	}
}

// TestMigrationMissingPrevious covers migration.missing_previous: compute gives the migration
// table a committed previous date gives, skip leaves the table out with a warning, fail refuses;
// a previous customers file without its manifest counts as missing, an unreadable manifest is
// an input error.
func TestMigrationMissingPrevious(t *testing.T) {
	in := generatedInput(t, gen.Options{Customers: 300, Transactions: 6000, Seed: 5, Days: 365})
	const prev, cur = "2023-06-30", "2023-12-31"
	configWith := func(missing string) *config.Config {
		cfg := demoConfig(t, in, t.TempDir())
		cfg.Migration.MissingPrevious = missing
		return cfg
	}
	run := func(cfg *config.Config) (*store.Manifest, error) {
		return Run(context.Background(), cfg, cur, RunOptions{Previous: prev})
	}
	migrationRows := func(cfg *config.Config) []migrationRow {
		t.Helper()
		rows, err := parquet.ReadFile[migrationRow](filepath.Join(store.PartitionDir(cfg.Output.Dir, outputs.TableMigration, cur), store.DataFile))
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}

	ref := configWith("")
	if _, err := Run(context.Background(), ref, prev, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := run(ref); err != nil {
		t.Fatal(err)
	}
	want := migrationRows(ref)

	compute := configWith("compute")
	if _, err := run(compute); err != nil {
		t.Fatal(err)
	}
	if got := migrationRows(compute); !reflect.DeepEqual(got, want) {
		t.Errorf("compute: got %d migration rows, want the %d of a committed previous date:\n%+v\n%+v", len(got), len(want), got, want)
	}
	if got := store.CommittedDates(compute.Output.Dir); !slices.Equal(got, []string{cur}) {
		t.Errorf("compute: committed dates %v, want only %s", got, cur)
	}

	skip := configWith("skip")
	m, err := run(skip)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(m.Warnings, func(w string) bool { return strings.Contains(w, "migration skipped") }) {
		t.Errorf("skip: warnings %q, want one saying the migration was skipped", m.Warnings)
	}
	if _, err := os.Stat(store.PartitionDir(skip.Output.Dir, outputs.TableMigration, cur)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("skip: the migration table was written (stat: %v)", err)
	}

	fail := configWith("fail")
	if _, err := run(fail); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "has no committed output") {
		t.Errorf("fail: got %v, want ErrInput saying the previous date has no committed output", err)
	}
	// The previous customers without their manifest (a run killed before committing): missing.
	src := filepath.Join(store.PartitionDir(ref.Output.Dir, outputs.TableCustomers, prev), store.DataFile)
	dst := store.PartitionDir(fail.Output.Dir, outputs.TableCustomers, prev)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, store.DataFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(fail); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "has no committed output") {
		t.Errorf("fail, customers without a manifest: got %v, want ErrInput saying the previous date has no committed output", err)
	}
	// Beside those customers, an unreadable manifest is an input error, not a missing date.
	if err := os.MkdirAll(filepath.Dir(store.ManifestPath(fail.Output.Dir, prev)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(store.ManifestPath(fail.Output.Dir, prev), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(fail); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "previous date "+prev) || strings.Contains(err.Error(), "has no committed output") {
		t.Errorf("corrupt manifest: got %v, want ErrInput about the previous date's manifest", err)
	}
}

type heldPrediction struct {
	CustomerID string  `parquet:"customer_id"`
	Tier       string  `parquet:"tier"`
	Earned     *string `parquet:"tier_earned,optional"`
	CLVRank    *int64  `parquet:"clv_rank,optional"`
	Predicted  *string `parquet:"predicted_tier,optional"`
	Upgrade    bool    `parquet:"upgrade_potential"`
}

// TestUpgradePotentialUnderProtection: with status protection on, predicted_tier fills the
// tiers customers hold (the tier column), counted as they hold them, in CLV rank order, and
// upgrade_potential marks a predicted tier above the one held. Before the fix, CLV ranked
// against the earned tiers and their sizes, which differ wherever protection applied.
func TestUpgradePotentialUnderProtection(t *testing.T) {
	in := generatedInput(t, gen.Options{Customers: 400, Transactions: 8000, Seed: 9, Days: 365})
	cfg := demoConfig(t, in, t.TempDir())
	cfg.Migration.PeriodsBelow = 2
	cfg.CLV.MinBuyers = new(int) // 400 customers: below the default gate
	if _, err := Run(context.Background(), cfg, "2023-06-30", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), cfg, "2023-12-31", RunOptions{Previous: "2023-06-30"}); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.ReadFile[heldPrediction](store.TablePath(cfg.Output.Dir, outputs.TableCustomers, "2023-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	ladder := []string{"platinum", "gold", "iron", "lead"}
	sizes := make([]int, len(ladder))
	protected := 0
	var ranked []heldPrediction
	for _, r := range rows {
		sizes[slices.Index(ladder, r.Tier)]++
		if r.Earned != nil && *r.Earned != r.Tier {
			protected++
		}
		if r.CLVRank != nil {
			ranked = append(ranked, r)
		} else if r.Predicted != nil || r.Upgrade {
			t.Errorf("%s has no CLV rank but predicted tier %v, upgrade %v", r.CustomerID, r.Predicted, r.Upgrade)
		}
	}
	if protected == 0 {
		t.Fatal("no customer holds a tier above the one earned: the fixture does not exercise protection")
	}
	if len(ranked) == 0 {
		t.Fatal("no customer ranked by CLV: the check below would prove nothing")
	}
	slices.SortFunc(ranked, func(a, b heldPrediction) int { return int(*a.CLVRank - *b.CLVRank) })
	k, left := 0, sizes[0]
	for _, r := range ranked {
		for left == 0 && k < len(ladder)-1 {
			k++
			left = sizes[k]
		}
		left--
		if r.Predicted == nil || *r.Predicted != ladder[k] {
			t.Fatalf("%s (CLV rank %d): predicted %v, want %s from the held tiers' sizes %v", r.CustomerID, *r.CLVRank, r.Predicted, ladder[k], sizes)
		}
		if want := k < slices.Index(ladder, r.Tier); r.Upgrade != want {
			t.Errorf("%s: holds %s, predicted %s, upgrade_potential %v, want %v", r.CustomerID, r.Tier, ladder[k], r.Upgrade, want)
		}
	}
	t.Logf("%d of %d customers hold a protected tier; %d ranked by CLV", protected, len(rows), len(ranked))
}

// TestDateCustomersEqualReadBack: the customers a series hands to its next date in memory
// (outputs.Date.Customers) are those ReadCustomers reads back from the committed table, with
// profit, tiers and status protection (held tiers and periods below) on.
func TestDateCustomersEqualReadBack(t *testing.T) {
	in := generatedInput(t, smallDemo)
	cfg := demoConfig(t, in, t.TempDir())
	cfg.Migration.PeriodsBelow = 2
	cfg.Normalize()
	prev := ""
	for _, date := range []string{"2024-04-30", "2024-05-31", "2024-06-30"} {
		r, err := newRun(cfg, date, RunOptions{Previous: prev})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.run(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := r.date.Customers()
		want, err := outputs.ReadCustomers(store.TablePath(cfg.Output.Dir, outputs.TableCustomers, date))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: in memory %d customers (tiers %v, periods below %v), read back %d (tiers %v, periods below %v)", date,
				got.Len(), got.Tier != nil, got.TierPeriodsBelow != nil, want.Len(), want.Tier != nil, want.TierPeriodsBelow != nil)
		}
		if prev != "" && (want.Tier == nil || want.TierPeriodsBelow == nil || want.Profit == nil) {
			t.Errorf("%s: the table lacks the protection columns; the check proves less than it says", date)
		}
		prev = date
	}
}
