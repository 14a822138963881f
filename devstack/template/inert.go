package template

import (
	"errors"
	"fmt"
	"strings"
)

// inertSpec is a resource type devstack accepts without running it.
type inertSpec struct {
	reason   string
	identity func(*resolver, *resource) (*identity, error)
}

// inert lists the resource types accepted without local effect.
var inert = map[string]inertSpec{
	"AWS::IAM::Role": {reasonNoIAM, func(r *resolver, res *resource) (*identity, error) {
		name, err := r.nameOr(res, "RoleName", 64)
		return &identity{ref: name, attrs: map[string]string{
			"Arn":    fmt.Sprintf("arn:%s:iam::%s:role/%s", r.partition, r.opts.AccountID, name),
			"RoleId": "AROA" + strings.ToUpper(shortID(name, 17)),
		}}, err
	}},
	"AWS::IAM::Policy":        {reasonNoIAM, idOnly},
	"AWS::Lambda::Permission": {"no IAM locally: every caller may invoke every function", idOnly},
	"AWS::CloudWatch::Alarm": {"CloudWatch metrics and alarms are not emulated", func(r *resolver, res *resource) (*identity, error) {
		name, err := r.nameOr(res, "AlarmName", 255)
		return &identity{ref: name, attrs: map[string]string{"Arn": r.arn("cloudwatch", "alarm:"+name)}}, err
	}},
	"AWS::CloudWatch::Dashboard": {"CloudWatch dashboards are not emulated", named("DashboardName", 255)},
	"AWS::Logs::LogGroup": {reasonLogs, func(r *resolver, res *resource) (*identity, error) {
		name, err := r.nameOr(res, "LogGroupName", 512)
		return &identity{ref: name, attrs: map[string]string{"Arn": r.arn("logs", "log-group:"+name+":*")}}, err
	}},
	"AWS::WAFv2::WebACL": {"requests are not filtered locally (no WAF)", func(r *resolver, res *resource) (*identity, error) {
		name, err := r.nameOr(res, "Name", 128)
		id := stableUUID(r.opts.StackName + "/" + res.LogicalID)
		return &identity{ref: name + "|" + id + "|REGIONAL", attrs: map[string]string{
			"Arn": r.arn("wafv2", "regional/webacl/"+name+"/"+id), "Id": id,
		}}, err
	}},
	"AWS::WAFv2::WebACLAssociation": {"requests are not filtered locally (no WAF)", idOnly},
	"AWS::SNS::Topic": {"alarm notifications are not sent locally", func(r *resolver, res *resource) (*identity, error) {
		name, err := r.nameOr(res, "TopicName", 256)
		arn := r.arn("sns", name)
		return &identity{ref: arn, attrs: map[string]string{"TopicArn": arn, "TopicName": name}}, err
	}},
	"AWS::SNS::TopicPolicy": {reasonNoIAM, idOnly},
	"AWS::SQS::QueuePolicy": {reasonNoIAM, idOnly},
	"AWS::EventSchemas::Registry": {"the schema registry documents events; nothing reads it at run time", func(r *resolver, res *resource) (*identity, error) {
		name, err := r.nameOr(res, "RegistryName", 64)
		arn := r.arn("schemas", "registry/"+name)
		return &identity{ref: arn, attrs: map[string]string{"RegistryArn": arn, "RegistryName": name}}, err
	}},
	"AWS::EventSchemas::Schema": {"the schema registry documents events; nothing reads it at run time", func(r *resolver, res *resource) (*identity, error) {
		name, err := r.nameOr(res, "SchemaName", 385)
		arn := r.arn("schemas", "schema/"+name)
		return &identity{ref: arn, attrs: map[string]string{"SchemaArn": arn, "SchemaName": name, "SchemaVersion": "1"}}, err
	}},
	"AWS::ApiGateway::Account": {"account-level API Gateway logging settings have no local effect", idOnly},
	"AWS::ApiGateway::Deployment": {"the local API serves the template's current methods; there are no deployment snapshots", func(r *resolver, res *resource) (*identity, error) {
		id := shortID(r.opts.StackName+"/"+res.LogicalID, 6)
		return &identity{ref: id, attrs: map[string]string{"DeploymentId": id}}, nil
	}},
	"AWS::ApiGateway::UsagePlan": {"usage plans (quotas, throttling) are not enforced locally", func(r *resolver, res *resource) (*identity, error) {
		id := shortID(r.opts.StackName+"/"+res.LogicalID, 6)
		return &identity{ref: id, attrs: map[string]string{"Id": id}}, nil
	}},
	"AWS::CDK::Metadata": {"CDK usage analytics", idOnly},
}

func idOnly(r *resolver, res *resource) (*identity, error) {
	return &identity{ref: physicalName(r.opts.StackName, res.LogicalID, 255)}, nil
}

func named(prop string, max int) func(*resolver, *resource) (*identity, error) {
	return func(r *resolver, res *resource) (*identity, error) {
		name, err := r.nameOr(res, prop, max)
		return &identity{ref: name}, err
	}
}

// checkResources refuses unknown resource types and unknown properties of
// honoured ones, records the inert resources and ignored properties, and
// evaluates resource conditions.
func (r *resolver) checkResources(s *Stack) error {
	var errs []error
	for _, id := range sortedKeys(r.doc.Resources) {
		res := r.doc.Resources[id]
		if res.Condition != "" {
			ok, err := r.condition(res.Condition)
			if err != nil {
				errs = append(errs, resourceError(res, err))
				continue
			}
			if !ok {
				r.excluded[id] = res.Condition
				continue
			}
		}
		if spec, ok := r.inert[res.Type]; ok {
			s.Inert = append(s.Inert, InertResource{LogicalID: id, Type: res.Type, Reason: spec.reason})
			continue
		}
		spec, ok := r.honoured[res.Type]
		if !ok {
			errs = append(errs, &UnsupportedError{LogicalID: id, Type: res.Type, Reason: "resource type"})
			continue
		}
		for _, prop := range sortedKeys(res.Properties) {
			if reason, ok := spec.ignores[prop]; ok {
				s.Ignored = append(s.Ignored, IgnoredProperty{LogicalID: id, Type: res.Type, Property: prop, Reason: reason})
				continue
			}
			if !contains(spec.honours, prop) {
				errs = append(errs, &UnsupportedError{LogicalID: id, Type: res.Type, Property: prop, Reason: "property"})
			}
		}
	}
	return errors.Join(errs...)
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
