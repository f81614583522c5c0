package profit

import (
	"fmt"

	"github.com/rfmjob/rfm/analytics/internal/rank"
)

// WhalePoints is the number of points of the whale curve: customer shares 0, 0.01, …, 1.
const WhalePoints = 101

// Whale is the whale curve: cumulative profit against the share of customers ranked by
// profit descending. It rises while profits are positive, peaks, and sinks back to the total
// through the unprofitable tail.
type Whale struct {
	// Points are at customer shares j/100, j = 0..100.
	Points []WhalePoint
	// SharesDefined reports whether total profit is > 0; otherwise every ProfitShare (and
	// PeakProfitShare) is 0 and only the money columns describe the curve.
	SharesDefined bool
	// PeakCustomers is the number of customers with profit > 0 (the top of the curve; zero
	// profits add nothing) and PeakCustomerShare its share of all customers.
	PeakCustomers     int64
	PeakCustomerShare float64
	// PeakProfit is their profit, Σ max(profit, 0), and PeakProfitShare = PeakProfit / total
	// profit: "the top 38% of customers make 142% of profit".
	PeakProfit      int64
	PeakProfitShare float64
	// Destroyed is the profit destroyed by the unprofitable tail, −Σ min(profit, 0) >= 0:
	// PeakProfit − Destroyed is the total profit.
	Destroyed int64
}

// WhalePoint is one point of the whale curve: the top CustomerShare of customers make
// CumProfit minor units, ProfitShare of the total profit.
type WhalePoint struct {
	CustomerShare float64
	CumProfit     float64 // interpolated between whole customers, minor units
	ProfitShare   float64 // CumProfit / total profit; 0 when !SharesDefined
}

// rankAndWhale fills ProfitRank, CumProfitShare and Whale from Profit.
func rankAndWhale(r *Result, ids []string) error {
	n := len(r.Profit)
	order, ranked := rank.Descending(ids, r.Profit)
	r.Order = order
	total := r.Totals.Profit
	w := &r.Whale
	w.SharesDefined = total > 0
	share := func(cum float64) float64 {
		if !w.SharesDefined {
			return 0
		}
		return cum / float64(total)
	}
	r.ProfitRank = make([]int64, n)
	r.CumProfitShare = make([]float64, n)
	cum := make([]int64, n+1) // cum[k]: profit of the top k customers
	for pos, i := range order {
		p := ranked[pos]
		r.ProfitRank[i] = int64(pos + 1)
		c, ok := add(cum[pos], p)
		if !ok {
			return fmt.Errorf("%w: cumulative profit at customer %q", ErrOverflow, ids[i])
		}
		cum[pos+1] = c
		r.CumProfitShare[i] = share(float64(c))
		if p > 0 {
			w.PeakCustomers++
			w.PeakProfit = c
		}
	}
	var ok bool
	if w.Destroyed, ok = sub(w.PeakProfit, total); !ok {
		return fmt.Errorf("%w: profit destroyed by the unprofitable customers", ErrOverflow)
	}
	if n > 0 {
		w.PeakCustomerShare = float64(w.PeakCustomers) / float64(n)
	}
	w.PeakProfitShare = share(float64(w.PeakProfit))
	w.Points = make([]WhalePoint, WhalePoints)
	for j := range WhalePoints {
		k, rem := j*n/100, j*n%100
		y := float64(cum[k])
		if rem != 0 {
			y += float64(rem) / 100 * float64(ranked[k])
		}
		w.Points[j] = WhalePoint{CustomerShare: float64(j) / 100, CumProfit: y, ProfitShare: share(y)}
	}
	return nil
}
