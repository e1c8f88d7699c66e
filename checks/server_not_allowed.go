package checks

import (
	"fmt"
	"strings"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/policy"
	"github.com/package-url/packageurl-go"
)

// ServerNotAllowed: the policy's allow and deny lists decide which
// servers a repository may use. A scan of the committed files cannot be
// bypassed by editing a host's settings.
var ServerNotAllowed = &Rule{
	ID:       "server-not-allowed",
	Severity: High,
	Summary:  "the server is not on the policy's allow list, or is on its deny list",
	Tags:     []string{"security", "policy"},
	Check:    checkServerNotAllowed,
}

func checkServerNotAllowed(r *Rule, in *Input) []Finding {
	p := in.Policy
	if p == nil || (len(p.Allows) == 0 && len(p.Deny) == 0) {
		return nil
	}
	var out []Finding
	for _, s := range in.Servers {
		if s.Kind == config.KindHook || len(s.Refs) == 0 {
			continue // a hook is not a server; remote-script and the rest judge it
		}
		targets := make([]policy.Target, len(s.Refs))
		for i, ref := range s.Refs {
			targets[i] = allowTarget(s, ref)
		}
		denied := false
		for i, ref := range s.Refs {
			for _, e := range p.Deny {
				if !e.Match(targets[i]) {
					continue
				}
				denied = true
				reason := ""
				if e.Reason != "" {
					reason = ": " + q(e.Reason)
				}
				f := r.at(s, ref.Pos, refText(ref), "server %s uses %s, which the policy denies (%s at %s:%d)%s",
					q(s.Name.Text), refText(ref), e.What(), e.File, e.Line, reason)
				f.Package = ref.Name
				out = append(out, f)
				break
			}
		}
		if denied {
			continue
		}
		for _, list := range p.Allows {
			if allowed(list, targets) {
				continue
			}
			var what []string
			for _, ref := range s.Refs {
				what = append(what, refText(ref))
			}
			where := "its allow list"
			if len(list) > 0 {
				where = fmt.Sprintf("the allow list at %s:%d", list[0].File, list[0].Line)
			}
			f := r.at(s, s.Refs[0].Pos, refText(s.Refs[0]), "server %s matches no entry of %s (it uses %s); add an entry for it to the policy, or use an allowed server",
				q(s.Name.Text), where, strings.Join(what, ", "))
			f.Package = s.Refs[0].Name
			out = append(out, f)
			break
		}
	}
	return out
}

func allowed(list []policy.Entry, targets []policy.Target) bool {
	for _, t := range targets {
		for _, e := range list {
			if e.Match(t) {
				return true
			}
		}
	}
	return false
}

// allowTarget is a reference as the allow and deny lists see it. Local
// programs, downloaded scripts and unknown launches match only command
// entries, on the command line as written.
func allowTarget(s *launch.Server, ref launch.Ref) policy.Target {
	var t policy.Target
	if pu, err := packageurl.FromString(ref.PURL); err == nil && ref.Kind != launch.Image {
		t.PURLType, t.PURLName, t.Version = pu.Type, pu.Name, ref.Version
		if pu.Namespace != "" {
			t.PURLName = pu.Namespace + "/" + pu.Name
		}
	}
	switch ref.Kind {
	case launch.Package:
	case launch.Image:
		t.Image = ref.Name
	case launch.Git:
		t.Repo = ref.Name
	case launch.Remote:
		t.URL = ref.URL
	default:
		line := s.Command.Text
		for _, a := range s.Args {
			line += " " + a.Text
		}
		t.Command = strings.TrimSpace(line)
	}
	return t
}

// refText names a reference in a message.
func refText(ref launch.Ref) string {
	switch {
	case ref.Kind == launch.Remote:
		return launch.RedactURL(ref.URL)
	case ref.PURL != "" && ref.Kind == launch.Package:
		return ref.PURL
	case ref.Name != "":
		return ref.Name
	}
	return string(ref.Kind) + " program"
}
