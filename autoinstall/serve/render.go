package serve

import "fugu/profiles"

// Options are the request-dependent inputs of a render: where the
// installer reaches this server and which release and arch it runs.
type Options struct {
	ServerURL           string // http://192.0.2.10, no trailing slash
	PathPrefix          string // "" or "fugu/"
	Release, Arch       string // from ?path=, else the profile's
	FirmwareURL         string // "" when no firmware mirror is served
	InstallSiteCallback string // full URL with a one-time token; "" for the fallback profile
	FirstBootCallback   string
	MirrorFiles         []string // files of RELEASE/ARCH in the sets mirror, for index.txt
}

// Files are a machine's rendered files, as the installer fetches them.
type Files struct {
	InstallConf, UpgradeConf []byte
	TemplateName             string // NAME.disklabel, "" without a template
	DiskTemplate             []byte
	SiteSetName              string // site78-NAME.tgz
	SiteSet                  []byte
	SetsDir                  string // sets/NAME/RELEASE/ARCH below the prefix
	IndexTxt                 []byte
}

// Renderer turns a machine and request options into its files. It must be
// a pure function of its inputs: results are cached per snapshot.
type Renderer interface {
	Render(m *profiles.Machine, opts Options) (*Files, error)
}
