package delivery_test

import (
	"context"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnergate/partnergate/gateway"
	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/outbound"
	"github.com/partnergate/partnergate/partners"
)

// A crash child is this test binary started again with these variables: it
// runs the gateway's workers, delivering to the ERP at envChildERP, until it
// is killed.
const (
	envChildDB       = "PARTNERGATE_DELIVERY_CHILD_DB"
	envChildPartners = "PARTNERGATE_DELIVERY_CHILD_PARTNERS"
	envChildERP      = "PARTNERGATE_DELIVERY_CHILD_ERP"
)

func TestMain(m *testing.M) {
	if db := os.Getenv(envChildDB); db != "" {
		crashChild(db, os.Getenv(envChildPartners), os.Getenv(envChildERP))
		return
	}
	dbtest.Main(m)
}

func crashChild(db, dir, erpURL string) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, db)
	if err != nil {
		panic(err)
	}
	live, err := partners.NewLive(dir, nil)
	if err != nil {
		panic(err)
	}
	u, err := url.Parse(erpURL)
	if err != nil {
		panic(err)
	}
	d := &outbound.Destination{Name: "erp", URL: u, MaxAttempts: 50, InitialBackoff: 20 * time.Millisecond,
		MaxBackoff: 200 * time.Millisecond, Concurrency: 4}
	if err := d.Validate(); err != nil {
		panic(err)
	}
	app, err := gateway.NewApp(gateway.AppConfig{Pool: pool, Partners: live, Workers: 4, RescueAfter: 2 * time.Second,
		Identity: ingest.Identity{Qualifier: "ZZ", ID: "NORTHWIND"}, Destinations: []*outbound.Destination{d},
		Routes: ordersToERP})
	if err != nil {
		panic(err)
	}
	if err := app.Start(ctx); err != nil {
		panic(err)
	}
	select {}
}
