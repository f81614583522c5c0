package clv

import "math"

// Churn view of a BG/NBD customer (Fader, Hardie & Lee 2005). Given the history (x, t_x, T) and
// that the customer is alive at T, the purchase rate's posterior is λ ~ Gamma(r+x, α+T): an alive
// customer's likelihood is λ^x e^{−λT}. A BG/NBD customer drops out only right after a purchase,
// so an alive customer's wait W for the next purchase has P(W > w | alive) = ((α+T)/(α+T+w))^(r+x)
// (a Lomax law).

// ProbNoPurchase is the churn risk over t: the probability of no purchase in (T, T+t],
//
//	P(Y(t) = 0 | x, t_x, T) = (1 − P(alive)) + P(alive)·((α+T)/(α+T+t))^(r+x).
//
// It is 1 for t ≤ 0 (no time, no purchase) and tends to 1 − P(alive) as t grows.
func (m BGNBD) ProbNoPurchase(h History, t float64) float64 {
	alive := m.PAlive(h)
	if t <= 0 {
		return 1
	}
	return (1 - alive) + alive*math.Exp((m.R+h.X)*(math.Log(m.Alpha+h.T)-math.Log(m.Alpha+h.T+t)))
}

// MedianWaitIfAlive is the median wait for the next purchase of a customer alive at T, in the
// model's unit: the w with P(W > w | alive) = 1/2, w = (α+T)·(2^(1/(r+x)) − 1).
func (m BGNBD) MedianWaitIfAlive(h History) float64 {
	return (m.Alpha + h.T) * math.Expm1(math.Ln2/(m.R+h.X))
}

// ChurnBand names a churn risk as marketing tools show it: Low below 1/3, Medium from 1/3 to 2/3,
// High above 2/3.
func ChurnBand(risk float64) string {
	switch {
	case risk < 1.0/3:
		return "Low"
	case risk <= 2.0/3:
		return "Medium"
	}
	return "High"
}
