// Package clv predicts customers' future purchases, spend and lifetime value with the "buy till
// you die" models: BG/NBD (or Pareto/NBD) for the number of purchases and Gamma-Gamma for their
// value, fitted by maximum likelihood to the per-customer feature table (package feature).
//
// # Summaries
//
// Summarize turns each customer with a purchase (Frequency > 0) into a calibration History, as
// of the end of day asOfDay, in a Unit (weeks by default, days/7; or days):
//
//	x   = PurchaseDays − 1                       repeat purchase days (same-day purchases merged)
//	t_x = LastPurchase − FirstPurchase           time of the last repeat purchase
//	T   = asOfDay − FirstPurchase                time observed since the first purchase
//	m   = (PurchaseValue − FirstDayValue) / x    mean repeat spend, major units (0 when x = 0)
//
// This is how Fader, Hardie & Lee measure the CDNOW sample: with asOfDay = 1997-09-30 it
// reproduces their published fits (a customer who first bought on 1997-01-01 has T = 272/7 =
// 38.86 weeks). Customers without purchases are masked out (Summary.Fitted, Scores.Scored):
// they take no part in fitting and get no prediction.
//
// # Models
//
// BG/NBD (Fader, Hardie & Lee 2005a): while active a customer buys at rate λ ~ Gamma(r, α) and
// after each repeat purchase drops out with probability p ~ Beta(a, b). The likelihood of
// (x, t_x, T), eq. 6, is
//
//	L = B(a, b+x)/B(a, b) · Γ(r+x)·α^r/(Γ(r)·(α+T)^(r+x))
//	  + δ(x>0) · B(a+1, b+x−1)/B(a, b) · Γ(r+x)·α^r/(Γ(r)·(α+t_x)^(r+x)),
//
// evaluated as A1 + A2 + log(e^A3 + δ·e^A4) (Hardie's note on implementing BG/NBD in log space).
// P(alive) = 1/(1 + δ(x>0)·a/(b+x−1)·((α+T)/(α+t_x))^(r+x)), which is 1 for x = 0. The
// conditional expectation of purchases in (T, T+t], eq. 10,
//
//	E[Y(t)] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)] · P(alive),
//	z = t/(α+T+t),
//
// divides by a−1 and subtracts two nearly equal numbers for small t. Euler's transformation
// turns the bracket into 1 − (1−z)^(a−1)·2F1(a+b−1−r, a−1; a+b+x−1; z); the package sums that
// series itself with the factor a−1 cancelled, and computes [1 − (1−z)^(a−1)]/(a−1) with expm1,
// so the result is accurate for a near 1 (the limit a = 1 included) and for any t.
//
// Pareto/NBD (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005 note): purchase rate
// λ ~ Gamma(r, α), exponential lifetime with death rate μ ~ Gamma(s, β). The likelihood,
//
//	L = Γ(r+x)·α^r·β^s/Γ(r) · [(α+T)^−(r+x)·(β+T)^−s + s/(r+s+x)·A0],
//
// takes A0 from Gauss hypergeometric functions 2F1(r+s+x, ·; r+s+x+1; ·) whose argument is
// (|α−β|)/(max(α, β)+t), always in [0, 1); the difference inside A0 is taken in log space.
// P(alive) = 1/(1 + s/(r+s+x)·(α+T)^(r+x)·(β+T)^s·A0) and
// E[Y(t)] = (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive), with expm1 for s
// near 1. Its likelihood is often flat in β; compare fits by log-likelihood.
//
// Gamma-Gamma (Fader, Hardie & Lee 2005b, after Colombo & Jiang 1999): a customer's
// transaction values are Gamma(p, ν), ν ~ Gamma(q, γ), independent of the purchase process.
// It is fitted to the mean repeat spend m of the customers with x > 0 (the first purchase is
// left out) with the density of the sample mean,
//
//	log L = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q·ln γ + (px−1)·ln m + px·ln x − (px+q)·ln(γ + x·m),
//
// and predicts E[M | x, m] = p·(γ + x·m)/(px + q − 1), the population mean p·γ/(q−1) for
// x = 0. The population mean exists only for q > 1: a fit with q ≤ 1 is ErrNoMeanSpend.
//
// # Fitting
//
// Customers are grouped by distinct (x, t_x, T) (Gamma-Gamma: by (x, m)) and the likelihood
// is a count-weighted sum over groups, so the cost of an evaluation grows with the number of
// distinct histories, not customers: a daily table of 1M customers has about 10^5. Parameters
// are optimized as logarithms (so they stay positive) by BFGS (gonum optimize), with analytic
// gradients for BG/NBD and Gamma-Gamma and central differences for Pareto/NBD. A fit has
// converged when the largest gradient component of the mean log-likelihood with respect to the
// log-parameters is below FitConfig.GradientTolerance (1e-6). Convergence reports the status,
// iterations, evaluations and final log-likelihood; a fit that does not converge returns its
// best parameters with Converged = false and an error wrapping ErrNotConverged, which Analyze
// passes on with its Result so that the job can report it as a warning.
//
// # Value
//
// Score gives every fitted customer P(alive), expected purchases over ScoreConfig.Horizon, the
// Gamma-Gamma expected spend, and
//
//	CLV = margin · E[M] · Σ_k [E(τ_k) − E(τ_{k−1})] · (1+d)^−(τ_k / 1 year),
//
// stepping τ_k through the horizon in months of 365.25/12 days (the last step may be shorter)
// and discounting each month's expected purchases from its end at the annual rate d. For a
// horizon of whole months this is the discrete sum of the Python lifetimes package's
// customer_lifetime_value with monthly rate (1+d)^(1/12) − 1. CLVRank orders customers by CLV,
// 1 = highest, ties by customer id; unscored customers get rank 0.
//
// EvaluateHoldout compares the model's conditional expectations with actual repeat purchases
// in a holdout period, in total and by calibration x (0, 1, …, 6, 7+), as in Fader, Hardie &
// Lee (2005a), Figure 4.
//
// # Validation
//
// On the CDNOW sample (testdata/cdnow, 39-week calibration to 1997-09-30, weeks) the package
// reproduces the published BG/NBD fit (r = 0.2426, α = 4.4136, a = 0.7929, b = 2.4259,
// log-likelihood −9582.43), Pareto/NBD fit (r = 0.5533, α = 10.578, s = 0.6062, β = 11.669,
// −9594.98), Gamma-Gamma fit (p = 6.2496, q = 3.7442, γ = 15.4435, −4055.92) and the worked
// conditional expectation 1.226 for x = 2, t_x = 30.43, T = 38.86 over 39 weeks.
//
// # References
//
//   - Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005a). "Counting Your Customers" the Easy
//     Way: An Alternative to the Pareto/NBD Model. Marketing Science 24(2), 275–284.
//   - Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005b). RFM and CLV: Using Iso-Value
//     Curves for Customer Base Analysis. Journal of Marketing Research 42(4), 415–430.
//   - Fader, P. S. and Hardie, B. G. S. (2005). A Note on Deriving the Pareto/NBD Model and
//     Related Expressions. http://brucehardie.com/notes/009/
//   - Fader, P. S. and Hardie, B. G. S. (2013). The Gamma-Gamma Model of Monetary Value.
//     http://brucehardie.com/notes/025/
//   - Schmittlein, D. C., Morrison, D. G. and Colombo, R. (1987). Counting Your Customers: Who
//     Are They and What Will They Do Next? Management Science 33(1), 1–24.
//   - Colombo, R. and Jiang, W. (1999). A stochastic RFM model. Journal of Interactive
//     Marketing 13(3), 2–12.
//   - Abramowitz, M. and Stegun, I. A. (1965). Handbook of Mathematical Functions, 15.3.3
//     (Euler's transformation of 2F1).
package clv
