package checks

// All is every rule, in the order `mcptether rules` lists them.
var All = []*Rule{
	UnpinnedPackage,
	MutableImage,
	UnpinnedGitSource,
	RemoteScript,
	InsecureTransport,
	HardcodedSecret,
	RegistryOverride,
	EnvCodeInjection,
	AutoApprovedTools,
	ConfigParseError,
	UnclaimedPackage,
	RepoOwnerClaimable,
	RepoRedirected,
	RepoMissing,
	ProvenanceMismatch,
	LookalikePackage,
	DeprecatedPackage,
	InstallScript,
	PublisherChanged,
	FreshRelease,
	MaliciousPackage,
	KnownVulnerability,
	Unverifiable,
	ExpiredIgnore,
}
