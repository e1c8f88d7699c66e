package launch

import (
	_ "embed"
	"strings"

	"github.com/mcptether/mcptether/config"
)

// dockerValueFlags are docker/podman run flags that take the next word.
var dockerValueFlags = map[string]bool{}

func init() {
	for _, f := range strings.Fields(`-a --attach --add-host --annotation --blkio-weight --blkio-weight-device
		--cap-add --cap-drop --cgroup-parent --cgroupns --cidfile --cpu-period --cpu-quota --cpu-rt-period
		--cpu-rt-runtime -c --cpu-shares --cpus --cpuset-cpus --cpuset-mems --device --device-cgroup-rule
		--device-read-bps --device-read-iops --device-write-bps --device-write-iops --dns --dns-option
		--dns-search --domainname --entrypoint -e --env --env-file --expose --gpus --group-add --health-cmd
		--health-interval --health-retries --health-start-interval --health-start-period --health-timeout
		-h --hostname --ip --ip6 --ipc --isolation --kernel-memory -l --label --label-file --link
		--link-local-ip --log-driver --log-opt --mac-address -m --memory --memory-reservation --memory-swap
		--memory-swappiness --mount --name --network --net --network-alias --net-alias --oom-score-adj
		--pid --pids-limit --platform -p --publish --pull --restart --runtime --security-opt --shm-size
		--stop-signal --stop-timeout --storage-opt --sysctl --tmpfs --ulimit -u --user --userns --uts
		-v --volume --volume-driver --volumes-from -w --workdir --arch --os --variant --secret --pod
		--env-host --authfile --cert-dir --creds --decryption-key --hooks-dir --uidmap --gidmap --subuidname
		--subgidname --systemd --tz --umask --chrootdirs --init-path --passwd-entry --personality
		--pidfile --preserve-fds --requires --rdt-class --seccomp-policy --sdnotify --timeout --cgroup-conf
		--device-cgroup-rule --image-volume --log-level --detach-keys`) {
		dockerValueFlags[f] = true
	}
}

// dockerRun decodes "docker run [flags] image [args]".
func dockerRun(args []config.Value, launcher string) []Ref {
	for i := 0; i < len(args); i++ {
		a := args[i].Text
		if a == "--" {
			i++
			if i < len(args) {
				return []Ref{imageRef(args[i], launcher)}
			}
			break
		}
		if !strings.HasPrefix(a, "-") {
			return []Ref{imageRef(args[i], launcher)}
		}
		if strings.Contains(a, "=") {
			continue
		}
		if dockerValueFlags[a] {
			i++
			continue
		}
		// Grouped short flags: the last may take a value (-it, -ite X).
		if len(a) > 2 && a[1] != '-' && dockerValueFlags["-"+a[len(a)-1:]] {
			i++
		}
	}
	return []Ref{{Kind: Unknown, Launcher: launcher, Note: launcher + " run with no image"}}
}

// ParseImage splits an image reference into registry host, repository
// path, tag and digest, with Docker Hub's defaults filled in.
func ParseImage(s string) (host, repo, tag, digest string) {
	if i := strings.Index(s, "@"); i >= 0 {
		s, digest = s[:i], s[i+1:]
	}
	if i := strings.LastIndex(s, ":"); i >= 0 && !strings.Contains(s[i:], "/") {
		s, tag = s[:i], s[i+1:]
	}
	host = "docker.io"
	if first, rest, ok := strings.Cut(s, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		host, s = first, rest
	}
	if host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io" {
		host = "docker.io"
		if !strings.Contains(s, "/") {
			s = "library/" + s
		}
	}
	return strings.ToLower(host), s, tag, digest
}

//go:embed data/docker-official-images.txt
var officialImagesText string

// officialImages are the repositories under docker.io/library/.
var officialImages = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(officialImagesText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

func imageRef(v config.Value, launcher string) Ref {
	host, repo, tag, digest := ParseImage(v.Text)
	ref := Ref{Kind: Image, Ecosystem: "oci", Launcher: launcher, Registry: host, Name: host + "/" + repo,
		Tag: tag, Digest: digest, Version: tag, Pos: v.Pos}
	if name, ok := strings.CutPrefix(repo, "library/"); ok && host == "docker.io" && !officialImages[name] && !isTemplate(v.Text) {
		// No one but Docker publishes under library/: this is an image
		// built on the machine (docker build, docker compose).
		ref.LocalBuild = true
	}
	if digest != "" {
		ref.Version = digest
	}
	ref.Pinned = strings.HasPrefix(digest, "sha256:") && len(digest) == len("sha256:")+64
	ref.Templated = isTemplate(v.Text)
	ref.PURL = imagePURL(host, repo, tag, digest)
	return ref.at(v)
}
