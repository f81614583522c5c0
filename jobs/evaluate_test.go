package jobs

import (
	"bufio"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/rfmjob/rfm/analytics/clv"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine/input"
	"github.com/rfmjob/rfm/jobs/outputs"
	"github.com/rfmjob/rfm/jobs/store"
)

type cdnowRow struct {
	CustomerID int64   `parquet:"customer_id"`
	Date       int32   `parquet:"date,date"`
	Dollars    float64 `parquet:"dollars"`
}

// holdoutRow is a row of the clv_holdout table.
type holdoutRow struct {
	AsOf          int32   `parquet:"as_of,date"`
	HoldoutEnd    int32   `parquet:"holdout_end,date"`
	Model         string  `parquet:"model"`
	Bucket        string  `parquet:"bucket"`
	Customers     int64   `parquet:"customers"`
	Actual        float64 `parquet:"actual"`
	Predicted     float64 `parquet:"predicted"`
	MeanActual    float64 `parquet:"mean_actual"`
	MeanPredicted float64 `parquet:"mean_predicted"`
}

// cdnowParquet converts testdata/cdnow/CDNOW_sample.txt (master_id sample_id yyyymmdd cds
// dollars) to Parquet, one row per transaction.
func cdnowParquet(t *testing.T) string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "cdnow", "CDNOW_sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []cdnowRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 5 {
			continue
		}
		id, _ := strconv.ParseInt(fs[0], 10, 64)
		d, err := time.Parse("20060102", fs[2])
		if err != nil {
			t.Fatal(err)
		}
		dollars, _ := strconv.ParseFloat(fs[4], 64)
		rows = append(rows, cdnowRow{id, int32(d.Unix() / 86400), dollars})
	}
	path := filepath.Join(t.TempDir(), "cdnow.parquet")
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEvaluateCDNOW runs the calibration/holdout evaluation through the whole job path
// (Parquet → engine → features → BG/NBD) on the CDNOW sample and checks the figures published
// by Fader, Hardie & Lee (2005): 946 repeaters with 2,457 repeat purchases in the 39-week
// calibration, 1,882 in the 39-week holdout, and the BG/NBD maximum-likelihood estimates.
func TestEvaluateCDNOW(t *testing.T) {
	in := cdnowParquet(t)
	for _, eng := range []string{"native", "duckdb"} {
		t.Run(eng, func(t *testing.T) {
			noOrder := ""
			cfg := &config.Config{Engine: eng}
			cfg.Input.Transactions = in
			cfg.Input.Columns = config.ColumnsConfig{CustomerID: "customer_id", OrderID: &noOrder, Timestamp: "date", Amount: "dollars"}
			// The paper counts every transaction; CDNOW has $0 ones (8 customers have nothing else).
			cfg.Input.ZeroNetIsPurchase = true
			cfg.Output.Dir = t.TempDir()
			ev, err := Evaluate(context.Background(), cfg, "1997-09-30", "1998-06-30", nil)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Repeaters != 946 || ev.RepeatPurchases != 2457 {
				t.Errorf("calibration: %d repeaters, %g repeat purchases; want 946 and 2457", ev.Repeaters, ev.RepeatPurchases)
			}
			total := ev.Rows[len(ev.Rows)-1]
			if total.Bucket != "total" || total.Actual != 1882 || total.Customers != 2357 {
				t.Errorf("holdout total %+v, want 1882 actual repeat purchases of 2357 customers", total)
			}
			// The BG/NBD forecast of P(any purchase in the holdout) has skill: its Brier score is
			// below the no-skill forecast's, the holdout's share of buyers p̄ for everyone, whose
			// score is p̄(1 − p̄). And RMSE ≥ MAE ≥ |mean error|, as any errors give.
			pbar := float64(total.Buyers) / float64(total.Customers)
			if !(total.Brier > 0 && total.Brier < pbar*(1-pbar)) {
				t.Errorf("Brier %v, want below the no-skill %v (p̄ = %d/%d)", total.Brier, pbar*(1-pbar), total.Buyers, total.Customers)
			}
			if meanErr := math.Abs(total.MeanPredicted - total.MeanActual); !(total.RMSE >= total.MAE && total.MAE >= meanErr) {
				t.Errorf("RMSE %v, MAE %v, |mean error| %v", total.RMSE, total.MAE, meanErr)
			}
			t.Logf("holdout: %d of %d customers bought; MAE %.4f, RMSE %.4f, Brier %.4f (no skill %.4f)",
				total.Buyers, total.Customers, total.MAE, total.RMSE, total.Brier, pbar*(1-pbar))
			if ev.HoldoutLength != 39 {
				t.Errorf("holdout length %g weeks, want 39", ev.HoldoutLength)
			}
			m, ok := ev.Fit.Purchases.(clv.BGNBD)
			if !ok {
				t.Fatalf("purchase model is %T, want BG/NBD", ev.Fit.Purchases)
			}
			for _, p := range []struct {
				name      string
				got, want float64
			}{{"r", m.R, 0.2426}, {"alpha", m.Alpha, 4.4136}, {"a", m.A, 0.7929}, {"b", m.B, 2.4259}} {
				if math.Abs(p.got-p.want)/p.want > 1e-3 {
					t.Errorf("BG/NBD %s = %.4f, want %.4f (Fader, Hardie & Lee 2005)", p.name, p.got, p.want)
				}
			}
			if ll := ev.Fit.PurchaseFit.LogLikelihood; math.Abs(ll-(-9582.43))/9582.43 > 1e-3 {
				t.Errorf("BG/NBD log-likelihood %.2f, want −9582.43 (Fader, Hardie & Lee 2005)", ll)
			}
			// The published table holds the rows Evaluate returned, under the calibration end.
			if want := filepath.Join(outputs.TableCLVHoldout, "as_of=1997-09-30", store.DataFile); ev.Path != want {
				t.Errorf("published at %s, want %s", ev.Path, want)
			}
			pub, err := parquet.ReadFile[holdoutRow](filepath.Join(cfg.Output.Dir, ev.Path))
			if err != nil {
				t.Fatalf("holdout table not published: %v", err)
			}
			if len(pub) != len(ev.Rows) {
				t.Fatalf("published %d rows, want %d", len(pub), len(ev.Rows))
			}
			calDay, _ := ParseDay("1997-09-30")
			endDay, _ := ParseDay("1998-06-30")
			checkTracking(t, ev, cfg.Output.Dir, calDay, endDay, total)
			for i, r := range ev.Rows {
				want := holdoutRow{calDay, endDay, string(ev.Fit.Model), r.Bucket, int64(r.Customers), r.Actual, r.Predicted, r.MeanActual, r.MeanPredicted}
				if pub[i] != want {
					t.Errorf("published row %d: got %+v, want %+v", i, pub[i], want)
				}
			}
		})
	}
}

// TestEvaluateErrorKinds: Evaluate classifies the engine's errors as Run does: cancelled is
// ErrInterrupted, a bad input is ErrInput still wrapping the engine's own error.
func TestEvaluateErrorKinds(t *testing.T) {
	cfg := &config.Config{}
	cfg.Input.Transactions = cdnowParquet(t)
	cfg.Output.Dir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Evaluate(ctx, cfg, "1997-09-30", "1998-06-30", nil); !errors.Is(err, ErrInterrupted) {
		t.Errorf("cancelled: got %v, want ErrInterrupted", err)
	}
	// The default column names are not in the CDNOW file.
	_, err := Evaluate(context.Background(), cfg, "1997-09-30", "1998-06-30", nil)
	if !errors.Is(err, ErrInput) || !errors.Is(err, input.ErrMissingColumn) {
		t.Errorf("missing columns: got %v, want ErrInput wrapping input.ErrMissingColumn", err)
	}
}

// checkTracking: the tracking curve has a point per week of the 39-week holdout; its actual
// side counts the purchase days (customer and day) of the CDNOW text file itself (an outside
// count, not the engine's) in the holdout up to each point, and ends at the holdout total; its predicted side
// rises to the holdout rows' total prediction. The clv_tracking table and the page are
// published beside clv_holdout.
func checkTracking(t *testing.T, ev *Evaluation, out string, calDay, endDay int32, total clv.HoldoutRow) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "cdnow", "CDNOW_sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var days []int32 // the day of each customer's holdout purchase day
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 5 {
			continue
		}
		d, _ := time.Parse("20060102", fs[2])
		if day := int32(d.Unix() / 86400); day > calDay && day <= endDay && !seen[fs[0]+" "+fs[2]] {
			seen[fs[0]+" "+fs[2]] = true
			days = append(days, day)
		}
	}
	if len(ev.Tracking) != 39 || ev.Tracking[38].Day != endDay {
		t.Fatalf("tracking has %d points, last %+v; want 39 weekly points ending %d", len(ev.Tracking), ev.Tracking[len(ev.Tracking)-1], endDay)
	}
	prev := 0.0
	for k, p := range ev.Tracking {
		if p.Day != calDay+7*int32(k+1) {
			t.Errorf("point %d on day %d, want %d", k, p.Day, calDay+7*int32(k+1))
		}
		want := 0
		for _, d := range days {
			if d <= p.Day {
				want++
			}
		}
		if p.Actual != float64(want) {
			t.Errorf("week %d: %v actual purchases, the file has %d", k+1, p.Actual, want)
		}
		if !(p.Predicted > prev) {
			t.Errorf("week %d: predicted %v does not rise from %v", k+1, p.Predicted, prev)
		}
		prev = p.Predicted
	}
	if last := ev.Tracking[38]; last.Actual != total.Actual || math.Abs(last.Predicted-total.Predicted) > 1e-9*total.Predicted {
		t.Errorf("tracking ends at %+v, the holdout total is %v actual, %v predicted", last, total.Actual, total.Predicted)
	}
	tr, err := parquet.ReadFile[struct {
		Actual    float64 `parquet:"actual_cumulative"`
		Predicted float64 `parquet:"predicted_cumulative"`
	}](store.TablePath(out, outputs.TableCLVTracking, ev.CalibrationEnd))
	if err != nil || len(tr) != 39 || tr[38].Actual != total.Actual {
		t.Errorf("clv_tracking: %d rows (%v), err %v; want 39 ending at %v", len(tr), tr, err, total.Actual)
	}
	page, err := os.ReadFile(filepath.Join(out, outputs.TableCLVHoldout, "as_of="+ev.CalibrationEnd, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{`id="chart-tracking"`, `id="chart-conditional"`, "CLV holdout check"} {
		if !strings.Contains(string(page), id) {
			t.Errorf("the holdout page has no %s", id)
		}
	}
}
