/**
 * Who is asking, on behalf of which project, under which request id. Carried through every
 * RPC and every log line, like Nova's RequestContext.
 */
export interface RequestContext {
  requestId: string;
  userId: string;
  projectId: string;
  roles: string[];
  isAdmin: boolean;
  /** The token the user authenticated with; services pass it to image, network and volume lookups. */
  authToken: string | null;
}
