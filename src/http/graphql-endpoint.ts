import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Principal } from '../auth/principal';
import type { ErrorFormatter } from '../schema/format-error';

/** Told of WebSocket connections and the subscriptions on them (the service's metrics). */
export interface ConnectionObserver {
  connectionOpened(): void;
  connectionClosed(): void;
  subscriptionStarted(): void;
  subscriptionEnded(): void;
}

export interface GraphqlEndpoint {
  schema: GraphQLSchema;
  formatError: ErrorFormatter;
  /**
   * The caller behind an `Authorization` value (HTTP header, or graphql-ws connection param):
   * null without one; throws for a bad one.
   */
  authenticate: (authorization: string | undefined) => Promise<Principal | null>;
  /** Anonymous connections are refused at once when authentication is on. */
  authEnabled: boolean;
  /** A fresh context per HTTP request and per subscription operation. */
  createContext: (principal: Principal | null) => object;
  plugins: ApolloServerPlugin<object>[];
  connections: ConnectionObserver;
}
