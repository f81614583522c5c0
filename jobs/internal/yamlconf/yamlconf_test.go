package yamlconf

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

type columns struct {
	CustomerID string  `yaml:"customer_id"`
	OrderID    *string `yaml:"order_id"`
}

type section struct {
	Transactions string  `yaml:"transactions"`
	Columns      columns `yaml:"columns"`
}

type rule struct {
	Name string `yaml:"name"`
	R    [2]int `yaml:"r"`
}

type config struct {
	Input    section            `yaml:"input"`
	Rates    map[string]float64 `yaml:"rates"`
	Segments []rule             `yaml:"segments"`
	Bins     int                `yaml:"bins"`
	Share    *float64           `yaml:"share"`
	Enabled  *bool              `yaml:"enabled"`
}

func TestDecodeUnknownKeys(t *testing.T) {
	doc := `input:
  transactions: tx.parquet
  colums:
    customer_id: id
rates: {anything_goes: 1}
segments:
  - {name: A, r: [1, 2], m: [3, 4]}
bins: 5
binz: 6
`
	var c config
	err := Decode([]byte(doc), &c)
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ke *KeyError
		if !errors.As(e, &ke) {
			t.Fatalf("%v is not a *KeyError", e)
		}
		got = append(got, e.Error())
	}
	want := []string{
		"line 3: input.colums: unknown key (did you mean input.columns?)",
		"line 7: segments[0].m: unknown key",
		"line 9: binz: unknown key (did you mean bins?)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDecodeFills(t *testing.T) {
	var c config
	if err := Decode([]byte("input: {transactions: a, columns: {order_id: ''}}\nrates: {x: 2}\nbins: 3\n"), &c); err != nil {
		t.Fatal(err)
	}
	if c.Input.Transactions != "a" || c.Input.Columns.OrderID == nil || *c.Input.Columns.OrderID != "" || c.Rates["x"] != 2 || c.Bins != 3 {
		t.Errorf("decoded %+v", c)
	}
	if err := Decode(nil, &c); err != nil {
		t.Errorf("empty document: %v", err)
	}
	if err := Decode([]byte("bins: many\n"), &c); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("type error: %v, want yaml's error with its line", err)
	}
}

func TestApplyEnv(t *testing.T) {
	var c config
	err := ApplyEnv(&c, "X", []string{"X_INPUT_COLUMNS_CUSTOMER_ID= id ", "X_BINS= 7", "X_SHARE=0.5", "X_ENABLED=true", "HOME=/", "X_OK=1"}, map[string]bool{"X_OK": true})
	if err != nil {
		t.Fatal(err)
	}
	if c.Input.Columns.CustomerID != " id " || c.Bins != 7 || *c.Share != 0.5 || !*c.Enabled {
		t.Errorf("applied %+v", c)
	}
	err = ApplyEnv(&c, "X", []string{"X_BINS=seven", "X_NOPE=1", "X_ENABLED=maybe"}, nil)
	want := "X_BINS=\"seven\": want an integer\nX_ENABLED=\"maybe\": want true or false\nunknown environment variable X_NOPE"
	if err == nil || err.Error() != want {
		t.Errorf("errors %q, want %q", err, want)
	}
	if keys := EnvKeys(&c, "X"); !slices.Contains(keys, "X_INPUT_COLUMNS_ORDER_ID") || slices.Contains(keys, "X_RATES") {
		t.Errorf("EnvKeys = %v", keys)
	}
}
