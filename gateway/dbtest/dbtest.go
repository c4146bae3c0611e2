// Package dbtest gives tests their own PostgreSQL databases: a template
// database is created and migrated once per test binary, and each test gets
// a fresh copy of it, dropped when the test ends.
//
// The server is TEST_DATABASE_URL, by default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable. A test
// package using it calls dbtest.Main from its TestMain so the template is
// dropped at the end.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnergate/partnergate/gateway/store"
)

const defaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// template is the migrated database every test database copies. It is the
// one piece of package state, as in River's riverdbtest: one per binary.
var template struct {
	once sync.Once
	name string
	err  error
}

// ServerURL returns the URL of the server tests create databases on.
func ServerURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return defaultURL
}

// Main runs the tests of a package and drops its template database.
func Main(m *testing.M) {
	code := m.Run()
	if template.name != "" {
		_ = dropDatabase(context.Background(), template.name)
	}
	os.Exit(code)
}

// New returns the URL of a fresh, migrated database for t and a pool on it;
// both go away when t ends.
func New(t testing.TB) (string, *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	template.once.Do(func() { template.name, template.err = makeTemplate(ctx) })
	if template.err != nil {
		t.Fatalf("dbtest: %v (is PostgreSQL running at %s?)", template.err, ServerURL())
	}
	name := "pgtest_" + randomHex()
	if err := exec(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template.name)); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	dbURL := withDatabase(name)
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	cfg.MaxConns = 32
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		if err := dropDatabase(context.Background(), name); err != nil {
			t.Errorf("dbtest: %v", err)
		}
	})
	return dbURL, pool
}

// NewEmpty returns the URL of a fresh database without any table, for
// tests of migrating; it is dropped when t ends.
func NewEmpty(t testing.TB) string {
	t.Helper()
	name := "pgtest_" + randomHex()
	if err := exec(context.Background(), `CREATE DATABASE `+name); err != nil {
		t.Fatalf("dbtest: %v (is PostgreSQL running at %s?)", err, ServerURL())
	}
	t.Cleanup(func() {
		if err := dropDatabase(context.Background(), name); err != nil {
			t.Errorf("dbtest: %v", err)
		}
	})
	return withDatabase(name)
}

func makeTemplate(ctx context.Context) (string, error) {
	name := "pgtmpl_" + randomHex()
	if err := exec(ctx, `CREATE DATABASE `+name); err != nil {
		return "", err
	}
	pool, err := pgxpool.New(ctx, withDatabase(name))
	if err != nil {
		return name, err
	}
	defer pool.Close()
	return name, store.Migrate(ctx, pool)
}

func dropDatabase(ctx context.Context, name string) error {
	return exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
}

func exec(ctx context.Context, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func withDatabase(name string) string {
	u, err := url.Parse(ServerURL())
	if err != nil {
		return ServerURL()
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
