package shop

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/jsii-runtime-go"

	"github.com/goshop-dev/goshop/internal/httpapi"
)

// newWebACL puts a WAF web ACL in front of the API stage. REST APIs have no
// body size setting of their own, so the first rule refuses bodies larger
// than the functions accept before any function runs; the others rate-limit
// each client address and apply AWS's common rule set.
func newWebACL(stack awscdk.Stack, rest awsapigateway.RestApi) {
	visibility := func(name string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
		return &awswafv2.CfnWebACL_VisibilityConfigProperty{
			CloudWatchMetricsEnabled: jsii.Bool(true),
			MetricName:               jsii.String(name),
			SampledRequestsEnabled:   jsii.Bool(true),
		}
	}
	block := &awswafv2.CfnWebACL_RuleActionProperty{Block: &awswafv2.CfnWebACL_BlockActionProperty{}}
	acl := awswafv2.NewCfnWebACL(stack, jsii.String("ApiWebAcl"), &awswafv2.CfnWebACLProps{
		Scope:            jsii.String("REGIONAL"),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: &awswafv2.CfnWebACL_AllowActionProperty{}},
		VisibilityConfig: visibility("goshop-api"),
		Rules: &[]interface{}{
			&awswafv2.CfnWebACL_RuleProperty{
				Name:     jsii.String("body-size"),
				Priority: jsii.Number(0),
				Action:   block,
				Statement: &awswafv2.CfnWebACL_StatementProperty{
					SizeConstraintStatement: &awswafv2.CfnWebACL_SizeConstraintStatementProperty{
						ComparisonOperator: jsii.String("GT"),
						Size:               jsii.Number(httpapi.MaxBodyBytes),
						FieldToMatch: &awswafv2.CfnWebACL_FieldToMatchProperty{
							Body: &awswafv2.CfnWebACL_BodyProperty{OversizeHandling: jsii.String("MATCH")},
						},
						TextTransformations: &[]interface{}{&awswafv2.CfnWebACL_TextTransformationProperty{Priority: jsii.Number(0), Type: jsii.String("NONE")}},
					},
				},
				VisibilityConfig: visibility("goshop-body-size"),
			},
			&awswafv2.CfnWebACL_RuleProperty{
				Name:     jsii.String("rate-per-ip"),
				Priority: jsii.Number(1),
				Action:   block,
				Statement: &awswafv2.CfnWebACL_StatementProperty{
					RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
						AggregateKeyType: jsii.String("IP"),
						Limit:            jsii.Number(2000),
					},
				},
				VisibilityConfig: visibility("goshop-rate-per-ip"),
			},
			&awswafv2.CfnWebACL_RuleProperty{
				Name:           jsii.String("aws-common"),
				Priority:       jsii.Number(2),
				OverrideAction: &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]interface{}{}},
				Statement: &awswafv2.CfnWebACL_StatementProperty{
					ManagedRuleGroupStatement: &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{
						VendorName: jsii.String("AWS"),
						Name:       jsii.String("AWSManagedRulesCommonRuleSet"),
						// The body-size rule above owns size limits.
						ExcludedRules: &[]interface{}{&awswafv2.CfnWebACL_ExcludedRuleProperty{Name: jsii.String("SizeRestrictions_BODY")}},
					},
				},
				VisibilityConfig: visibility("goshop-aws-common"),
			},
		},
	})
	awswafv2.NewCfnWebACLAssociation(stack, jsii.String("ApiWebAclAssociation"), &awswafv2.CfnWebACLAssociationProps{
		ResourceArn: rest.DeploymentStage().StageArn(),
		WebAclArn:   acl.AttrArn(),
	})
}
