// Package partners will hold partner configuration: loading and validating
// the YAML files with file:line errors, identity resolution, duplicate and
// exception policies, and scorecard arithmetic. It is empty until the gateway
// core issue lands.
package partners
