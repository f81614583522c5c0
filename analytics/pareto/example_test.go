package pareto_test

import (
	"fmt"

	"github.com/rfmjob/rfm/analytics/pareto"
)

func ExampleAnalyze() {
	ids := []string{"ann", "bob", "cid", "dan", "eve"}
	value := []int64{50000, 2000, 30000, 0, 18000} // cents
	r, err := pareto.Analyze(ids, value, pareto.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, id := range ids {
		fmt.Printf("%s rank %d  share %.2f  %c\n", id, r.Rank[i], r.CumShare[i], r.Class[i])
	}
	s := r.Summary
	fmt.Printf("top 20%%: %.2f  customers for 80%%: %d  Gini: %.3f\n", s.Top20PctShare, s.CustomersFor80, s.Gini)
	// Output:
	// ann rank 1  share 0.50  A
	// bob rank 4  share 1.00  C
	// cid rank 2  share 0.80  A
	// dan rank 5  share 1.00  C
	// eve rank 3  share 0.98  B
	// top 20%: 0.50  customers for 80%: 2  Gini: 0.512
}
