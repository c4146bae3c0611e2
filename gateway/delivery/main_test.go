package delivery_test

import (
	"testing"

	"github.com/partnergate/partnergate/gateway/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
