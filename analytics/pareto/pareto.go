package pareto

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/rfmjob/rfm/analytics/internal/rank"
)

// Result holds one row per customer, in the order of the input, and the summary.
type Result struct {
	// Rank is the value rank: 1 = highest value, ties broken by customer id ascending.
	Rank []int64
	// CumShare is the share of all positive value held by the customers ranked at or above
	// this one; 1 for customers with value <= 0 (0 when no customer has a positive value).
	CumShare []float64
	// Class is 'A', 'B' or 'C'.
	Class   []byte
	Summary Summary
	// Lorenz is the Lorenz curve at customer shares 0, 0.01, …, 1 (101 points).
	Lorenz []Point
}

// Summary describes how concentrated the value is.
type Summary struct {
	Customers int64
	// TotalValue is Σ value; PositiveValue is Σ max(value, 0), the base of every share.
	TotalValue, PositiveValue int64
	// ACustomers, BCustomers and CCustomers count the classes.
	ACustomers, BCustomers, CCustomers int64
	// TopNPctShare is the share of positive value held by the top ceil(N% · Customers)
	// customers.
	Top1PctShare, Top5PctShare, Top10PctShare, Top20PctShare float64
	// CustomersFor50 and CustomersFor80 are the smallest numbers of top customers holding at
	// least 50% and 80% of the positive value (0 when there is none).
	CustomersFor50, CustomersFor80 int64
	// Gini is the Gini coefficient of the values clipped at 0: 0 when all are equal,
	// (n−1)/n when one customer holds everything.
	Gini float64
}

// Point is one point of the Lorenz curve: the poorest CustomerShare of the customers hold
// ValueShare of the positive value.
type Point struct{ CustomerShare, ValueShare float64 }

// Analyze ranks customers by value (minor units) and measures its concentration; ids[i] and
// value[i] describe customer i. It returns an error wrapping ErrConfig for an invalid cfg,
// ErrOverflow when a total exceeds int64 and ErrTooManyCustomers beyond 2^31−1 customers. It
// panics if ids and value differ in length.
func Analyze(ids []string, value []int64, cfg Config) (*Result, error) {
	if len(ids) != len(value) {
		panic("pareto: ids and value differ in length")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	n := len(value)
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("%w: %d, at most %d", ErrTooManyCustomers, n, math.MaxInt32)
	}
	var total, positive int64
	for i, v := range value {
		t, p := total+v, positive+max(v, 0)
		if (v > 0 && t < total) || (v < 0 && t > total) || p < positive {
			return nil, fmt.Errorf("%w: at customer %q (value %d)", ErrOverflow, ids[i], v)
		}
		total, positive = t, p
	}

	order, ranked := rank.Descending(ids, value)
	r := &Result{
		Rank:     make([]int64, n),
		CumShare: make([]float64, n),
		Class:    make([]byte, n),
		Summary:  Summary{Customers: int64(n), TotalValue: total, PositiveValue: positive},
	}
	s := &r.Summary
	top := [4]struct {
		pct   int
		k     int // ceil(pct · n / 100)
		share *float64
	}{{1, 0, &s.Top1PctShare}, {5, 0, &s.Top5PctShare}, {10, 0, &s.Top10PctShare}, {20, 0, &s.Top20PctShare}}
	for j := range top {
		top[j].k = (top[j].pct*n + 99) / 100
	}
	share := func(cum int64) float64 {
		if positive == 0 {
			return 0
		}
		return float64(cum) / float64(positive)
	}

	var cum int64 // positive value of the customers ranked above the current one
	for pos, i := range order {
		v := ranked[pos]
		r.Rank[i] = int64(pos + 1)
		r.Class[i] = 'C'
		if v > 0 {
			switch before := share(cum); {
			case before < cfg.ACut:
				r.Class[i] = 'A'
			case before < cfg.BCut:
				r.Class[i] = 'B'
			}
			cum += v
			if s.CustomersFor50 == 0 && atLeast(cum, positive, 1, 2) {
				s.CustomersFor50 = int64(pos + 1)
			}
			if s.CustomersFor80 == 0 && atLeast(cum, positive, 4, 5) {
				s.CustomersFor80 = int64(pos + 1)
			}
		}
		r.CumShare[i] = share(cum)
		for j := range top {
			if top[j].k == pos+1 {
				*top[j].share = share(cum)
			}
		}
		switch r.Class[i] {
		case 'A':
			s.ACustomers++
		case 'B':
			s.BCustomers++
		default:
			s.CCustomers++
		}
	}
	r.Lorenz, s.Gini = lorenz(ranked, positive)
	return r, nil
}

// atLeast reports whether cum/total >= num/den, exactly: cum·den >= total·num in 128 bits.
func atLeast(cum, total int64, num, den uint64) bool {
	lh, ll := bits.Mul64(uint64(cum), den)
	rh, rl := bits.Mul64(uint64(total), num)
	return lh > rh || (lh == rh && ll >= rl)
}
