package resolve

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
)

// origin is a URL's scheme, host and port: what a credential is bound to.
type origin struct{ scheme, host, port string }

func originOf(u *url.URL) origin {
	if u == nil {
		return origin{}
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	return origin{strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), port}
}

func parseOrigin(s string) origin {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return origin{}
	}
	return originOf(u)
}

func (o origin) addr() string { return net.JoinHostPort(o.host, o.port) }

// BlockedError is a connection refused before it was made: the address is
// loopback, private, link-local or otherwise not on the internet, and no
// flag, environment variable or mirror configured it.
type BlockedError struct{ Addr string }

func (e *BlockedError) Error() string {
	return fmt.Sprintf("%s is not a public address and no flag or environment variable configured it; not contacted", e.Addr)
}

// dialGuard decides where a connection may go when it is made: after DNS,
// so a name that resolves (or rebinds) to a private address is refused as
// well. Configured endpoints are the explicit exceptions: a mirror or a
// GitHub Enterprise server on the local network is the user's choice, a
// name in a config is not.
type dialGuard struct {
	allowed map[string]bool // host:port of configured endpoints and proxies
	plain   *net.Dialer
	checked *net.Dialer
}

func newDialGuard(configured []string, connect time.Duration) *dialGuard {
	g := &dialGuard{allowed: map[string]bool{}}
	for _, c := range configured {
		if o := parseOrigin(c); o.host != "" {
			g.allowed[o.addr()] = true
		}
	}
	// A proxy from the environment is configured too; requests through it
	// are judged by the URL's host alone (see publicHost).
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		if v := os.Getenv(k); v != "" {
			if !strings.Contains(v, "://") {
				v = "http://" + v
			}
			if o := parseOrigin(v); o.host != "" {
				g.allowed[o.addr()] = true
			}
		}
	}
	g.plain = &net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}
	g.checked = &net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second, Control: checkAddress}
	return g
}

func (g *dialGuard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if g.allowed[strings.ToLower(addr)] {
		return g.plain.DialContext(ctx, network, addr)
	}
	return g.checked.DialContext(ctx, network, addr)
}

// configured reports whether u is on a configured endpoint's host and port.
func (g *dialGuard) configured(u *url.URL) bool { return g.allowed[originOf(u).addr()] }

// checkAddress runs on the resolved address of every connection that is not
// to a configured endpoint.
func checkAddress(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !publicIP(ip) {
		return &BlockedError{Addr: address}
	}
	return nil
}

// nonPublic are ranges outside what netip's predicates name: shared
// address space (cloud metadata services live there too), IETF protocol
// assignments, benchmarking, documentation, NAT64 and 6to4 relays.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("2002::/16"),
}

// publicIP reports whether ip is a public unicast address.
func publicIP(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// publicHost reports whether a host named in a config can be on the
// internet: not localhost, not a single-label or local-only name, not a
// non-public IP literal. It decides before any request (and through a
// proxy, where the dialer sees only the proxy).
func publicHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if ip, err := netip.ParseAddr(h); err == nil {
		return publicIP(ip)
	}
	if h == "localhost" || !strings.Contains(h, ".") {
		return false
	}
	for _, s := range []string{".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain", ".intranet", ".corp"} {
		if strings.HasSuffix(h, s) {
			return false
		}
	}
	return true
}
