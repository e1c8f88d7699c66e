// Package config finds MCP client configs and server manifests in a tree
// and reads every server entry in them, with the position of each value a
// rule may point at.
package config

// File is one config or manifest that was read.
type File struct {
	Path   string // slash-separated, as reported
	Format string // host format id, e.g. "claude-code"
	// Servers in file order.
	Servers []*Server
	// Approvals that apply to every server the file enables.
	Approvals []Approval
	// Registries are installer settings (.npmrc, pip.conf, uv…) that send
	// package installs to a registry of their own.
	Registries []Registry
	// Err is set when the file could not be read or parsed.
	Err *FileError
	// Ignores are the file's "mcptether:ignore" comments.
	Ignores []InlineIgnore
	// Follow are other MCP configs this file points to (a plugin.json's
	// mcpServers path), which discovery reads inside the same tree.
	Follow []Follow
	// Unjudged are configs this file names that could not be read (gone,
	// outside the tree, unreadable): their servers went unchecked.
	Unjudged []FileError
	// Warnings say what in the file was passed over, such as server-like
	// entries under a key the host's format does not have.
	Warnings []string
	// Root is the real path of the tree the file was read in, and Real
	// the slash path inside it of the file that holds the content (a
	// symlink's target): what pin rewrites, through an os.Root at Root.
	// Both are empty for content that was not read from disk.
	Root, Real string

	fm  *format // what it was read as, for Reparse
	abs string
}

// Follow is another config a file names.
type Follow struct {
	Path string // absolute, slash-separated
	At   Pos    // the value that names it
}

// FileError explains why a file that is an MCP config could not be used.
type FileError struct {
	Line, Col int
	// Reason is the class of failure, one of the Reason constants.
	Reason string
	Msg    string
}

// Why a config could not be judged.
const (
	ReasonSyntax     = "syntax error"
	ReasonDepth      = "nested too deep"
	ReasonSize       = "too large"
	ReasonBinary     = "binary"
	ReasonShape      = "not a config's shape"
	ReasonUnreadable = "unreadable"
	ReasonOutside    = "outside the scanned tree"
	ReasonMissing    = "missing"
)

func (e *FileError) Error() string { return e.Msg }

// Server is one server entry, or another entry that makes the host run
// code: a plugin, a plugin marketplace, a hook.
type Server struct {
	File   string
	Format string
	// Kind is what the entry is: "" for an MCP server, KindPlugin (a
	// marketplace's or settings' entry that installs one), KindMarketplace
	// (a catalog a settings file adds), KindHook (a command the host runs
	// on an event without asking).
	Kind      string
	Source    *Source // a plugin's or marketplace's source
	Name      Value   // for keyed maps, the key and its position
	Transport string
	Disabled  bool
	// Sandboxed: the host confines the server (VS Code's sandboxEnabled):
	// worth saying, not a finding.
	Sandboxed bool

	Command Value
	Args    []Value
	Env     []KV
	URL     Value
	Headers []KV

	Approvals []Approval

	// Manifest is set for servers a manifest describes (server.json,
	// MCPB, package.json), whose Name is the server's published name.
	Manifest bool
	// Manifests describe packages and remote endpoints instead of (or
	// beside) a launch command.
	Packages   []Package
	Remotes    []Remote
	Repository Value
	// RepositoryID is server.json's repository.id: the code host's id of
	// the repository when the server was published.
	RepositoryID Value

	// Code is generated code the host runs to start the server (a
	// Smithery commandFunction), scanned as a whole for secrets.
	Code Value
}

// Registry is one setting that names where packages are installed from.
type Registry struct {
	Ecosystem string // npm or pypi
	Setting   string // the key as written, e.g. "registry", "@acme:registry", "index-url"
	Scope     string // the npm scope it applies to, "" for every package
	URL       Value
	// Lookups: mcptether's own npm lookups read this setting when the
	// file is the working directory's (.npmrc's registry=).
	Lookups bool
}

// Entry kinds besides servers.
const (
	KindPlugin      = "plugin"
	KindMarketplace = "marketplace"
	KindHook        = "hook"
)

// Source is where a plugin or marketplace comes from, as written: a GitHub
// repository, a git URL (with a path inside it for git-subdir), an npm
// package, a local path, or, for a plugin a settings file enables, the
// marketplace it comes from.
type Source struct {
	Type                                        string // github, url, git-subdir, npm, local, marketplace, or another
	Repo, URL, Path, Ref, SHA, Package, Version Value
	Marketplace                                 string
	At                                          Pos // the source as a whole
}

// KV is one key/value pair, e.g. an env variable or a header.
type KV struct {
	Key   Value
	Value Value
}

// Approval is a setting that lets tools run without asking the user.
type Approval struct {
	Setting string  // the key as written, e.g. "autoApprove"
	Value   Value   // where it is set
	Tools   []Value // the tools it covers; empty with All
	All     bool    // every tool (or every server, at file level)
	// Scope says what a file-level approval lets go unasked: "servers"
	// (every configured server starts without approval), "tools" (every
	// tool call of every server, or of Server), "commands" (terminal
	// commands the agent runs). Per-server approvals leave it empty.
	Scope string
	// Server is the one server a file-level tool approval covers, "" for
	// all.
	Server string
}

// Package is a package a manifest declares (server.json packages[], MCPB,
// package.json).
type Package struct {
	Registry Value // npm, pypi, oci, nuget, mcpb, cargo, go
	// AltRegistry is a "registry" key beside it: the registry's first seed
	// wrote registry_name as "unknown" or the package's own name there.
	AltRegistry Value
	Identifier  Value
	Version     Value
	RuntimeHint Value
	RuntimeArgs []Value
	PackageArgs []Value
	Transport   string
	FileSHA256  Value
}

// Remote is a remote endpoint a manifest declares.
type Remote struct {
	Transport string
	URL       Value
	Headers   []KV
}
