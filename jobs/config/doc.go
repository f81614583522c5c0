// Package config is the job's configuration: the job.yaml schema with each key's default,
// loading from a file and RFM_* environment variables (package yamlconf reads both by the yaml
// tags), Validate reporting every problem as an *OptionError, and the mapping of each section to
// the settings of the package that uses it (Analytics, Request).
package config
