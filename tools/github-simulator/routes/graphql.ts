import { z } from "zod";
import { executeGraphql } from "../graphql/execute.js";
import { graphqlRoots } from "../graphql/github-schema.js";
import { GraphqlSyntaxError, parseGraphql } from "../graphql/parse.js";
import type { Route } from "../router.js";
import type { World } from "../world.js";
import { parseBody } from "./body.js";

/** `POST /graphql` (GHE: `/api/graphql`): answers 200 with `data` and/or `errors`, as GitHub does. */

const GraphqlRequest = z.object({
  query: z.string(),
  variables: z.record(z.string(), z.unknown()).nullable().optional(),
  operationName: z.string().nullable().optional(),
});

export function graphqlRoutes(world: World): Route[] {
  return [
    {
      method: "POST",
      template: "/graphql",
      auth: "installation",
      inOpenApi: false,
      async handle({ body, caller }) {
        const request = parseBody(GraphqlRequest, body);
        let document;
        try {
          document = parseGraphql(request.query);
        } catch (error) {
          if (!(error instanceof GraphqlSyntaxError)) throw error;
          return { status: 200, json: { errors: [{ message: error.message }] } };
        }
        const result = await executeGraphql(document, graphqlRoots(world, caller), request.variables ?? {}, request.operationName ?? null);
        return { status: 200, json: result };
      },
    },
  ];
}
