package trino

import (
	"fmt"
	"strings"

	"github.com/rfmjob/rfm/jobs/engine/input"
)

// This file fills the placeholders of sql/classified_rows.sql in Trino's dialect. Each builder
// mirrors its DuckDB counterpart in jobs/engine/duckdb/expr.go; sqltext.Expand panics when the
// two engines fill different placeholder sets, so the statements cannot drift apart silently.

// quoteIdent quotes a name as a Trino identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// quoteName quotes a dotted catalog.schema.table name part by part.
func quoteName(parts ...string) string {
	q := make([]string, 0, len(parts))
	for _, p := range parts {
		if p != "" {
			q = append(q, quoteIdent(p))
		}
	}
	return strings.Join(q, ".")
}

// maxMinor bounds a row's amount in minor units, as in the DuckDB engine.
const maxMinor = "DOUBLE '9e15'"

// idExprs returns the customer id as VARCHAR (NULL when null or unusable), whether a present
// value is unusable (a floating id that is not an integer), and its raw text.
func idExprs(c input.Column) (id, bad, raw string) {
	q := quoteIdent(c.Name)
	raw = fmt.Sprintf("CAST(%s AS VARCHAR)", q)
	switch {
	case c.Kind.Float():
		x := fmt.Sprintf("CAST(%s AS DOUBLE)", q)
		ok := fmt.Sprintf("(is_finite(%[1]s) AND %[1]s = truncate(%[1]s) AND abs(%[1]s) < 9.2e18)", x)
		id = fmt.Sprintf("CASE WHEN %s THEN CAST(CAST(%s AS BIGINT) AS VARCHAR) END", ok, x)
		bad = fmt.Sprintf("(%s IS NOT NULL AND NOT %s)", q, ok)
		raw = rawExpr(c)
	case c.Kind.Integer():
		id, bad = raw, "false"
	default:
		id, bad = q, "false"
	}
	return id, bad, raw
}

// rawExpr is a column's value as text for the quarantine. A DOUBLE prints as Java's shortest
// form ("13085.0", "2.95"), as DuckDB prints it for magnitudes in [1e-3, 1e7), rather than the
// scientific notation of Trino's CAST ("1.3085E4").
func rawExpr(c input.Column) string {
	q := quoteIdent(c.Name)
	if c.Kind.Float() {
		return fmt.Sprintf("CASE WHEN %[1]s IS NOT NULL THEN format('%%s', CAST(%[1]s AS DOUBLE)) END", q)
	}
	return fmt.Sprintf("CAST(%s AS VARCHAR)", q)
}

// instantExpr returns a TIMESTAMP WITH TIME ZONE for a timestamp-like column (NULL when null or
// unparseable), and whether a present value failed to parse. Naive timestamps are UTC wall-clock
// times; strings are ISO-8601 dates or timestamps, 'T' or ' ' between date and time, with an
// optional offset (none: UTC, the session zone the engine sets).
func instantExpr(c input.Column) (ts, bad string) {
	q := quoteIdent(c.Name)
	switch c.Kind {
	case input.KindString:
		t := fmt.Sprintf("TRY_CAST(replace(%s, 'T', ' ') AS TIMESTAMP(6) WITH TIME ZONE)", q)
		return t, fmt.Sprintf("(%s IS NOT NULL AND %s IS NULL)", q, t)
	case input.KindTimestamp:
		if c.UTC {
			return q, "false"
		}
		return fmt.Sprintf("with_timezone(%s, 'UTC')", q), "false"
	}
	panic(fmt.Sprintf("trino: instantExpr of a %s column", c.TypeString()))
}

// dayExpr returns days since 1970-01-01 of a timestamp-like column, local to zone (a Trino
// expression yielding a zone name, or "" for UTC). A DATE is its own day in every zone.
func dayExpr(c input.Column, zone string) (day, bad string) {
	if c.Kind == input.KindDate {
		return fmt.Sprintf("CAST(date_diff('day', DATE '1970-01-01', %s) AS INTEGER)", quoteIdent(c.Name)), "false"
	}
	ts, bad := instantExpr(c)
	if zone == "" {
		zone = "'UTC'"
	}
	return fmt.Sprintf("CAST(date_diff('day', DATE '1970-01-01', CAST(at_timezone(%s, %s) AS DATE)) AS INTEGER)", ts, zone), bad
}

// moneyExprs converts an amount column to minor units (10^scale per unit), rounding half away
// from zero, and says when a present value is unusable (NaN, ±Inf, too large).
func moneyExprs(c input.Column, scale int) (minor, bad string) {
	q := quoteIdent(c.Name)
	factor := pow10(scale)
	switch {
	case c.Kind.Integer():
		return exactMinor(fmt.Sprintf("(CAST(%s AS DECIMAL(38,0)) * %s)", q, factor))
	case c.Kind == input.KindDecimal:
		// The cast to scale decimals rounds half away from zero (HALF_UP on the magnitude).
		return exactMinor(fmt.Sprintf("(CAST(%s AS DECIMAL(38,%d)) * %s)", q, scale, factor))
	default:
		return floatMinor(fmt.Sprintf("CAST(%s AS DOUBLE)", q), scale)
	}
}

func exactMinor(x string) (minor, bad string) {
	return fmt.Sprintf("CASE WHEN abs(%[1]s) <= %[2]s THEN CAST(%[1]s AS BIGINT) END", x, maxMinor),
		fmt.Sprintf("coalesce(abs(%s) > %s, false)", x, maxMinor)
}

// productExprs computes quantity × unit_price in DOUBLE, then scales and rounds, in the order
// the other engines do: round((q × p) × 10^scale).
func productExprs(qc, pc input.Column, scale int) (minor, bad string) {
	return floatMinor(fmt.Sprintf("(CAST(%s AS DOUBLE) * CAST(%s AS DOUBLE))", quoteIdent(qc.Name), quoteIdent(pc.Name)), scale)
}

// floatMinor scales a DOUBLE expression and rounds half away from zero (Trino's round on a
// DOUBLE), rejecting NaN, ±Inf and magnitudes beyond maxMinor.
func floatMinor(x string, scale int) (minor, bad string) {
	r := fmt.Sprintf("round(%s * CAST(%s AS DOUBLE))", x, pow10(scale))
	ok := fmt.Sprintf("(is_finite(%[1]s) AND abs(%[1]s) <= %[2]s)", r, maxMinor)
	return fmt.Sprintf("CASE WHEN %s THEN CAST(%s AS BIGINT) END", ok, r),
		fmt.Sprintf("(%s IS NOT NULL AND NOT %s)", r, ok)
}

func pow10(n int) string { return "1" + strings.Repeat("0", n) }
