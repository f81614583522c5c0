package config

import (
	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/rfm"
	"github.com/rfmjob/rfm/jobs/engine"
)

// request builds the engine request of one as-of day over files.
func (c *Config) Request(files []string, asOfDay int32) engine.Request {
	loc, _ := c.Location()
	req := engine.Request{
		Files:             files,
		Columns:           c.EngineColumns(),
		AsOfDay:           asOfDay,
		StartDay:          feature.WindowStart(asOfDay, c.LookbackDays()),
		Location:          loc,
		MoneyScale:        *c.Money.Scale,
		ZeroNetIsPurchase: c.Input.ZeroNetIsPurchase,
		Threads:           c.Limits.Threads,
		TempDir:           c.Limits.TempDir,
	}
	if c.Limits.MemoryLimit != "" {
		req.MemoryLimitBytes, _ = ParseBytes(c.Limits.MemoryLimit)
	}
	return req
}

func (c *Config) EngineColumns() engine.Columns {
	cols := c.Input.Columns
	out := engine.Columns{
		CustomerID: cols.CustomerID, Timestamp: cols.Timestamp, Amount: cols.Amount,
		Quantity: cols.Quantity, UnitPrice: cols.UnitPrice, Cost: cols.Cost,
	}
	if cols.OrderID != nil {
		out.OrderID = *cols.OrderID
	}
	return out
}

func (c *Config) RFM() rfm.Config {
	s := c.Scoring
	cfg := rfm.Config{
		Bins:   s.Bins,
		Method: rfm.Method(s.Method),
		Fixed:  rfm.Breaks{Recency: s.Fixed.Recency, Frequency: s.Fixed.Frequency, Monetary: s.Fixed.Monetary},
	}
	for _, seg := range s.Segments {
		cfg.Segments = append(cfg.Segments, rfm.SegmentRule{Name: seg.Name, R: seg.R, F: seg.F, M: seg.M})
	}
	return cfg
}
