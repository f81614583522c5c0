package jobs

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/store"
)

type predictedRow struct {
	CustomerID       string   `parquet:"customer_id"`
	Tier             string   `parquet:"tier"`
	CLVRank          *int64   `parquet:"clv_rank,optional"`
	PredictedTier    *string  `parquet:"predicted_tier,optional"`
	UpgradePotential bool     `parquet:"upgrade_potential"`
	CLV              *float64 `parquet:"clv,optional"`
}

// TestUpgradePotential checks the predicted tiers against their definition: ranked by CLV,
// customers fill today's tiers in order with today's tier sizes, and upgrade_potential marks
// exactly the customers whose predicted tier is above their current one.
func TestUpgradePotential(t *testing.T) {
	cfg := demoConfig(t, generatedInput(t, gen.Options{Customers: 500, Transactions: 9000, Seed: 4, Days: 365}), t.TempDir())
	if _, err := Run(context.Background(), cfg, "2023-12-31", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.ReadFile[predictedRow](filepath.Join(store.PartitionDir(cfg.Output.Dir, outputs.TableCustomers, "2023-12-31"), store.DataFile))
	if err != nil {
		t.Fatal(err)
	}
	rank := map[string]int{"platinum": 0, "gold": 1, "iron": 2, "lead": 3}
	size, predicted := map[string]int{}, map[string]int{}
	byCLV := make([]predictedRow, len(rows)+1)
	upgrades := 0
	for _, r := range rows {
		size[r.Tier]++
		if r.CLVRank == nil {
			if r.PredictedTier != nil || r.UpgradePotential {
				t.Errorf("%s has no purchase but a predicted tier", r.CustomerID)
			}
			continue
		}
		byCLV[*r.CLVRank] = r
		predicted[*r.PredictedTier]++
		if want := rank[*r.PredictedTier] < rank[r.Tier]; r.UpgradePotential != want {
			t.Errorf("%s: tier %s, predicted %s, upgrade_potential %v", r.CustomerID, r.Tier, *r.PredictedTier, r.UpgradePotential)
		}
		if r.UpgradePotential {
			upgrades++
		}
	}
	for k := 2; k < len(byCLV) && byCLV[k].CLV != nil; k++ {
		if rank[*byCLV[k].PredictedTier] < rank[*byCLV[k-1].PredictedTier] || *byCLV[k].CLV > *byCLV[k-1].CLV {
			t.Fatalf("clv rank %d (%s, %.2f) is predicted above rank %d (%s, %.2f)", k, *byCLV[k].PredictedTier, *byCLV[k].CLV, k-1, *byCLV[k-1].PredictedTier, *byCLV[k-1].CLV)
		}
	}
	for _, tier := range []string{"platinum", "gold"} {
		if predicted[tier] != size[tier] {
			t.Errorf("%d customers predicted %s, want today's %d", predicted[tier], tier, size[tier])
		}
	}
	if upgrades == 0 {
		t.Error("no customer has upgrade potential in a data set with lapsing and growing customers")
	}
}
