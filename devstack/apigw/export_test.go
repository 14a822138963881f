package apigw

// WildcardMatch exposes IAM wildcard matching to the black-box tests.
var WildcardMatch = wildcardMatch
