import type { Route } from "../router.js";
import type { World } from "../world.js";
import { actionsRoutes } from "./actions.js";
import { appRoutes } from "./apps.js";
import { checkRoutes } from "./checks.js";
import { collaboratorRoutes } from "./collaborators.js";
import { commentRoutes } from "./comments.js";
import { gitDataRoutes } from "./git-data.js";
import { graphqlRoutes } from "./graphql.js";
import { pullRoutes } from "./pulls.js";
import { repoRoutes } from "./repos.js";
import { reviewRoutes } from "./reviews.js";

/** Every endpoint the simulator serves. */
export function allRoutes(world: World): Route[] {
  return [
    ...appRoutes(world),
    ...repoRoutes(world),
    ...pullRoutes(world),
    ...reviewRoutes(world),
    ...commentRoutes(world),
    ...checkRoutes(world),
    ...actionsRoutes(world),
    ...gitDataRoutes(world),
    ...collaboratorRoutes(world),
    ...graphqlRoutes(world),
  ];
}
