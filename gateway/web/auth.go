package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/partnergate/partnergate/gateway/lockout"
	"github.com/partnergate/partnergate/partners"
)

// PartnerFrom returns the partner who made the request ctx belongs to, or
// nil when it was not made with a partner API key.
func PartnerFrom(ctx context.Context) *partners.Partner {
	p, _ := ctx.Value(partnerKey).(*partners.Partner)
	return p
}

// StaffFrom returns the member of staff who made the request ctx belongs
// to, or the zero Staff when it was not made with a staff token.
func StaffFrom(ctx context.Context) Staff {
	s, _ := staffFrom(ctx)
	return s
}

func staffFrom(ctx context.Context) (Staff, bool) {
	s, ok := ctx.Value(staffKey).(Staff)
	return s, ok
}

// bearer returns the secret of "Authorization: Bearer <secret>".
func bearer(r *http.Request) (string, bool) {
	scheme, secret, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	secret = strings.TrimSpace(secret)
	return secret, secret != ""
}

// authenticate resolves the bearer secret to a partner or a member of
// staff and puts them in the request's context. A missing or unknown secret
// gets a 401, a suspended partner a 403.
func (a *api) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret, found := bearer(r)
		if !found {
			unauthorized(w, `Bearer realm="partnergate"`, "an Authorization: Bearer header with a partner API key or a staff token is required")
			return
		}
		client, now := lockout.ClientKey(r), time.Now()
		if a.failures.Blocked(now, client) {
			tooManyFailures(w)
			return
		}
		ctx, known, err := a.identify(r.Context(), secret)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if !known {
			if a.failures.Fail(now, client) {
				a.log.WarnContext(r.Context(), "address locked out after unknown bearer secrets", "client", client,
					"request_id", RequestIDFrom(r.Context()))
			}
			unauthorized(w, `Bearer realm="partnergate", error="invalid_token"`, "the bearer secret is not a known API key or staff token")
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// identify returns ctx with the holder of secret, and false when no one
// holds it.
func (a *api) identify(ctx context.Context, secret string) (context.Context, bool, error) {
	if p, ok := a.d.Partners.Current().ByAPIKey(secret); ok {
		noteCaller(ctx, "partner", p.ID)
		if p.Status == partners.StatusSuspended {
			return ctx, true, forbidden("partner %s is suspended", p.ID)
		}
		return context.WithValue(ctx, partnerKey, p), true, nil
	}
	if s, ok := a.d.Staff(secret); ok {
		noteCaller(ctx, "staff", s.Name)
		return context.WithValue(ctx, staffKey, s), true, nil
	}
	return ctx, false, nil
}

// tooManyFailures answers a client locked out after too many unknown
// secrets.
func tooManyFailures(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(int(lockout.HTTPLockout/time.Second)))
	writeError(w, &apiError{status: http.StatusTooManyRequests, code: codeTooManyFailures,
		msg: fmt.Sprintf("more than %d unknown secrets from this address within %v; try again later",
			lockout.HTTPMaxFailures-1, lockout.HTTPWindow)})
}

func unauthorized(w http.ResponseWriter, challenge, msg string) {
	w.Header().Set("WWW-Authenticate", challenge)
	writeError(w, &apiError{status: http.StatusUnauthorized, code: codeUnauthorized, msg: msg})
}

// partnerOnly lets only partners through.
func (a *api) partnerOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if PartnerFrom(r.Context()) == nil {
			a.fail(w, r, forbidden("this endpoint takes a partner API key, not a staff token"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// staffOnly lets only members of staff with at least role least through.
func (a *api) staffOnly(least Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s, ok := staffFrom(r.Context())
			switch {
			case !ok:
				a.fail(w, r, forbidden("this endpoint takes a staff token, not a partner API key"))
			case !s.Role.Allows(least):
				a.fail(w, r, forbidden("role %q may not do this; it takes role %s or above", s.Role, least))
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}
