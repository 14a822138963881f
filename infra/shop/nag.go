package shop

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// ApplyChecks runs cdk-nag's AwsSolutions rules over everything under scope
// when it is synthesized. Findings that are deliberate are suppressed in
// suppressions.go, each with its reason.
func ApplyChecks(scope constructs.Construct) {
	awscdk.Aspects_Of(scope).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}

// suppress records that finding id of cdk-nag is deliberate on construct
// (and its children), for reason. appliesTo narrows a granular finding to
// the named resources or actions; strings starting with "/" are regexes.
func suppress(construct constructs.IConstruct, id, reason string, appliesTo ...string) {
	s := &cdknag.NagPackSuppression{Id: jsii.String(id), Reason: jsii.String(reason)}
	if len(appliesTo) > 0 {
		list := make([]interface{}, 0, len(appliesTo))
		for _, a := range appliesTo {
			if strings.HasPrefix(a, "/") {
				list = append(list, &cdknag.RegexAppliesTo{Regex: jsii.String(a)})
			} else {
				list = append(list, a)
			}
		}
		s.AppliesTo = &list
	}
	cdknag.NagSuppressions_AddResourceSuppressions(construct, &[]*cdknag.NagPackSuppression{s}, jsii.Bool(true))
}
