package clv_test

import (
	"fmt"

	"github.com/rfmjob/rfm/analytics/clv"
)

// The worked example of Fader, Hardie & Lee (2005): at the CDNOW parameters a customer with 2
// repeat purchases, the last at week 30.43 of 38.86, is expected to buy 1.226 times in the
// next 39 weeks.
func ExampleBGNBD_ExpectedPurchases() {
	model := clv.BGNBD{R: 0.2426, Alpha: 4.4136, A: 0.7929, B: 2.4259}
	h := clv.History{X: 2, TX: 30.43, T: 38.86}
	fmt.Printf("P(alive) = %.3f\n", model.PAlive(h))
	fmt.Printf("E[purchases in 39 weeks] = %.3f\n", model.ExpectedPurchases(h, 39))
	// Output:
	// P(alive) = 0.727
	// E[purchases in 39 weeks] = 1.226
}

// Gamma-Gamma at the CDNOW parameters: a customer's expected spend shrinks their own mean
// towards the population mean p·γ/(q−1).
func ExampleGammaGamma_ExpectedSpend() {
	spend := clv.GammaGamma{P: 6.2496, Q: 3.7442, Gamma: 15.4435}
	fmt.Printf("population mean: %.2f\n", spend.ExpectedSpend(0, 0))
	fmt.Printf("2 repeats averaging 60.00: %.2f\n", spend.ExpectedSpend(2, 60))
	// Output:
	// population mean: 35.17
	// 2 repeats averaging 60.00: 55.53
}
