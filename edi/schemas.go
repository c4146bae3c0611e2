package edi

// allSchemas lists every transaction set schema, one per set and release.
var allSchemas = []*SetSchema{
	schema850v4010,
	schema850v5010,
	schema856v4010,
	schema856v5010,
	schema940v4010,
	schema940v5010,
	schema945v4010,
	schema945v5010,
	schema997v4010,
	schema997v5010,
	schema999v5010,
}
