package checks

import (
	"net"
	"net/url"
	"strings"

	"github.com/mcptether/mcptether/launch"
)

// InsecureTransport: a remote server reached over plain HTTP or WS.
var InsecureTransport = &Rule{
	ID:       "insecure-transport",
	Severity: High,
	Summary:  "remote server over plain http:// or ws:// to a non-loopback host",
	Tags:     []string{"security", "transport"},
	Check:    checkInsecureTransport,
}

func checkInsecureTransport(r *Rule, in *Input) []Finding {
	var out []Finding
	eachRef(in, launch.Remote, func(s *launch.Server, ref launch.Ref) {
		u, err := url.Parse(strings.TrimSpace(ref.URL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "ws") || isLoopback(u.Hostname()) {
			return
		}
		secure := "https"
		if u.Scheme == "ws" {
			secure = "wss"
		}
		out = append(out, r.at(s, ref.Pos, u.Host,
			"server %q connects to %s over unencrypted %s: anyone on the network path can read the tool traffic and tokens or inject responses; use %s://%s%s",
			s.Name.Text, u.Host, u.Scheme, secure, u.Host, disabledNote(s)))
	})
	return out
}

func isLoopback(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
