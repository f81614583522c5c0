package jobs

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/gen"
)

type migrationRow struct {
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
	dir := t.TempDir()
	in := filepath.Join(dir, "tx.parquet")
	if err := gen.WriteFile(in, gen.Options{Customers: 400, Transactions: 8000, Seed: 9, Days: 365}); err != nil {
		t.Fatal(err)
	}
	for _, protect := range []bool{false, true} {
		cfg := &Config{}
		cfg.Input.Transactions = in
		cfg.Output.Dir = filepath.Join(dir, map[bool]string{false: "plain", true: "protected"}[protect])
		if protect {
			cfg.Migration.PeriodsBelow = 2
		}
		if _, err := Run(context.Background(), cfg, "2023-06-30", RunOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := Run(context.Background(), cfg, "2023-12-31", RunOptions{Previous: "2023-06-30"}); err != nil {
			t.Fatal(err)
		}
		prev, err := parquet.ReadFile[customerMove](filepath.Join(PartitionDir(cfg.Output.Dir, TableCustomers, "2023-06-30"), dataFile))
		if err != nil {
			t.Fatal(err)
		}
		prevTier := map[string]string{}
		for _, c := range prev {
			prevTier[c.CustomerID] = c.Tier
		}
		cur, err := parquet.ReadFile[customerMove](filepath.Join(PartitionDir(cfg.Output.Dir, TableCustomers, "2023-12-31"), dataFile))
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
		rows, err := parquet.ReadFile[migrationRow](filepath.Join(PartitionDir(cfg.Output.Dir, TableMigration, "2023-12-31"), dataFile))
		if err != nil {
			t.Fatal(err)
		}
		var inMatrix int64
		for _, r := range rows {
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
	dir := t.TempDir()
	in := filepath.Join(dir, "tx.parquet")
	if err := gen.WriteFile(in, gen.Options{Customers: 600, Transactions: 9000, Seed: 2, Days: 365}); err != nil {
		t.Fatal(err)
	}
	cfg := &Config{}
	cfg.Input.Transactions = in
	cfg.Output.Dir = filepath.Join(dir, "out")
	cfg.Tiers.Method = "clusters"
	if _, err := Run(context.Background(), cfg, "2023-12-31", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Cluster *int32 `parquet:"cluster,optional"`
		Tier    string `parquet:"tier"`
		Profit  int64  `parquet:"profit"`
	}
	rows, err := parquet.ReadFile[row](filepath.Join(PartitionDir(cfg.Output.Dir, TableCustomers, "2023-12-31"), dataFile))
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
