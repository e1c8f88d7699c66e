package checks

import "github.com/mcptether/mcptether/launch"

// RemoteScript: downloaded code piped into a shell or interpreter.
var RemoteScript = &Rule{
	ID:       "remote-script",
	Severity: Critical,
	Summary:  "downloaded code run through a shell or interpreter (curl | sh)",
	Tags:     []string{"security", "supply-chain", "remote-code"},
	Check:    checkRemoteScript,
}

func checkRemoteScript(r *Rule, in *Input) []Finding {
	var out []Finding
	eachRef(in, launch.Script, func(s *launch.Server, ref launch.Ref) {
		out = append(out, r.at(s, ref.Pos, launch.RedactURL(ref.URL),
			"server %q runs code downloaded from %q at every launch, unverified; install a pinned package or vendor the script and check its hash%s",
			s.Name.Text, launch.RedactURL(ref.URL), disabledNote(s)))
	})
	return out
}
