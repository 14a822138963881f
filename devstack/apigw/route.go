package apigw

import (
	"net/url"
	"strings"

	"github.com/goshop-dev/goshop/devstack/template"
)

// router finds the resource of a request path the way API Gateway does for
// REST APIs: a literal path part wins over a {param} part, which wins over a
// greedy {param+} part; a greedy part takes one or more segments.
type router struct {
	root *node
}

type node struct {
	resource *template.Resource
	literal  map[string]*node
	param    *node
	paramKey string
	greedy   *node
	greedKey string
}

func newNode() *node { return &node{literal: map[string]*node{}} }

func newRouter(resources []*template.Resource) *router {
	rt := &router{root: newNode()}
	for _, res := range resources {
		n := rt.root
		for _, part := range splitPath(res.Path) {
			switch {
			case strings.HasPrefix(part, "{") && strings.HasSuffix(part, "+}"):
				if n.greedy == nil {
					n.greedy, n.greedKey = newNode(), strings.TrimSuffix(strings.TrimPrefix(part, "{"), "+}")
				}
				n = n.greedy
			case strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}"):
				if n.param == nil {
					n.param, n.paramKey = newNode(), strings.TrimSuffix(strings.TrimPrefix(part, "{"), "}")
				}
				n = n.param
			default:
				child, ok := n.literal[part]
				if !ok {
					child = newNode()
					n.literal[part] = child
				}
				n = child
			}
		}
		n.resource = res
	}
	return rt
}

// splitPath splits "/a/b" into its parts; "/" has none.
func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match returns the resource of the decoded path segments and its path
// parameters (nil when it has none).
func (rt *router) match(segments []string) (*template.Resource, map[string]string) {
	params := map[string]string{}
	res := rt.root.match(segments, params)
	if res == nil {
		return nil, nil
	}
	if len(params) == 0 {
		params = nil
	}
	return res, params
}

func (n *node) match(segs []string, params map[string]string) *template.Resource {
	if len(segs) == 0 {
		return n.resource
	}
	if child, ok := n.literal[segs[0]]; ok {
		if res := child.match(segs[1:], params); res != nil {
			return res
		}
	}
	if n.param != nil && segs[0] != "" {
		if res := n.param.match(segs[1:], params); res != nil {
			params[n.paramKey] = segs[0]
			return res
		}
	}
	if n.greedy != nil && n.greedy.resource != nil {
		params[n.greedKey] = strings.Join(segs, "/")
		return n.greedy.resource
	}
	return nil
}

// pathSegments splits an escaped request path (without the stage) into
// decoded segments, dropping one trailing slash; ok is false when a segment
// does not decode.
func pathSegments(escaped string) ([]string, bool) {
	escaped = strings.TrimPrefix(escaped, "/")
	escaped = strings.TrimSuffix(escaped, "/")
	if escaped == "" {
		return nil, true
	}
	parts := strings.Split(escaped, "/")
	for i, p := range parts {
		d, err := url.PathUnescape(p)
		if err != nil {
			return nil, false
		}
		parts[i] = d
	}
	return parts, true
}
