package rivery

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// cachedJWT is a JWT from the Boomi exchange, with when to exchange it
// again before it expires. It is only reached through pointers, which fmt
// prints as addresses.
type cachedJWT struct {
	value     string
	renewAt   time.Time // zero: the lifetime is unknown, renew only on 401
	expiresAt time.Time
}

// newCachedJWT reads the JWT's lifetime from its iat and exp claims, both
// stamped by the platform's clock (so the local clock's offset does not
// matter), and counts it from sent, the local time the exchange was sent.
// It renews after nine tenths of the lifetime.
func newCachedJWT(value string, sent time.Time) *cachedJWT {
	j := &cachedJWT{value: value}
	parts := strings.Split(value, ".")
	if len(parts) != 3 {
		return j
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return j
	}
	var claims struct {
		IssuedAt  float64 `json:"iat"`
		ExpiresAt float64 `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.IssuedAt <= 0 || claims.ExpiresAt <= claims.IssuedAt {
		return j
	}
	lifetime := time.Duration((claims.ExpiresAt - claims.IssuedAt) * float64(time.Second))
	if lifetime > 30*24*time.Hour {
		return j
	}
	j.expiresAt = sent.Add(lifetime)
	j.renewAt = sent.Add(lifetime * 9 / 10)
	return j
}

// due reports whether j should be exchanged again before use.
func (j *cachedJWT) due(now time.Time) bool { return !j.renewAt.IsZero() && !now.Before(j.renewAt) }

// usable reports whether j has not expired yet, as far as is known.
func (j *cachedJWT) usable(now time.Time) bool {
	return j.expiresAt.IsZero() || now.Before(j.expiresAt)
}

// postponed is j with its renewal moved halfway to its expiry, after a
// renewal failed: the next callers use j instead of each waiting for the
// platform, and the renewal is tried again sooner the closer j gets to
// expiring.
func (j *cachedJWT) postponed(now time.Time) *cachedJWT {
	p := *j
	p.renewAt = now.Add(j.expiresAt.Sub(now) / 2)
	return &p
}
