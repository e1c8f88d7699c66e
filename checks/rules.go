package checks

// All is every rule, in the order `mcptether rules` lists them.
var All = []*Rule{
	UnpinnedPackage,
	MutableImage,
	UnpinnedGitSource,
	RemoteScript,
	InsecureTransport,
	HardcodedSecret,
	AutoApprovedTools,
	ConfigParseError,
	ExpiredIgnore,
	Unverifiable,
}
