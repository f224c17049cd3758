import { Kind, parse, print, visit, type ArgumentNode } from 'graphql';
// The gateway's own function, so that the three gateways load exactly the same supergraph.
import { withoutSecurityFeatures } from '../../../gateway/src/authorization/schema-policies';

/**
 * The supergraph the peer gateways serve: ours without its security features (which
 * @apollo/gateway 2.14 refuses to load and Hive Gateway would not enforce the same way) and with
 * each subgraph's routing URL replaced by where the bench started it, keyed by subgraph name.
 */
export function benchSupergraphSdl(supergraphSdl: string, subgraphUrls: Readonly<Record<string, string>>): string {
  const routed = visit(parse(withoutSecurityFeatures(supergraphSdl)), {
    Directive(directive) {
      if (directive.name.value !== 'join__graph') return undefined;
      const name = directive.arguments?.find((argument) => argument.name.value === 'name');
      const graph = name?.value.kind === Kind.STRING ? name.value.value : undefined;
      const url = graph ? subgraphUrls[graph] : undefined;
      if (!graph || !url) throw new Error(`no bench URL for subgraph ${graph ?? '?'}`);
      const args: ArgumentNode[] = (directive.arguments ?? []).map((argument) =>
        argument.name.value === 'url' ? { ...argument, value: { kind: Kind.STRING, value: url } } : argument,
      );
      return { ...directive, arguments: args };
    },
  });
  return print(routed);
}
