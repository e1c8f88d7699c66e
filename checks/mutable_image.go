package checks

import "github.com/mcptether/mcptether/launch"

// MutableImage: a container image referenced by tag, not digest.
var MutableImage = &Rule{
	ID:       "mutable-image",
	Severity: Medium,
	Summary:  "container image not pinned by digest: the tag can be moved to other content",
	Tags:     []string{"security", "supply-chain", "pinning", "container"},
	Check:    checkMutableImage,
}

func checkMutableImage(r *Rule, in *Input) []Finding {
	var out []Finding
	eachRef(in, launch.Image, func(s *launch.Server, ref launch.Ref) {
		if ref.Pinned || ref.Templated {
			return
		}
		f := r.at(s, ref.Pos, ref.Name, "image %q uses the tag %q, which can be re-pointed at other content; pin it by digest (%s:%s@sha256:…)%s",
			ref.Name, ref.Tag, ref.Name, ref.Tag, disabledNote(s))
		if ref.Tag == "" || ref.Tag == "latest" {
			f.Severity = High
			tag := "no tag"
			if ref.Tag == "latest" {
				tag = `the tag "latest"`
			}
			f.Message = "image " + q(ref.Name) + " has " + tag + ", so every pull may bring a different image; pin a version by digest (" +
				ref.Name + ":<version>@sha256:…)" + disabledNote(s)
		}
		if ref.LocalBuild {
			f.Severity = Medium
			f.Message = "image " + q(ref.Name) + " is probably built locally (no one but Docker publishes under docker.io/library/, " +
				"and docker compose names its images <project>-<service>), so what runs is whatever was built last; build it from a pinned base image, " +
				"or use a published image pinned by digest" + disabledNote(s)
		}
		f.Package = ref.Name
		out = append(out, f)
	})
	return out
}
