/** The three messaging workloads: who is in which conversation, with how many connections. */
import { seededRandom, shuffle, type ConversationPlan } from '../lib/setup.js';

export interface Topology {
  name: string;
  title: string;
  users: number;
  connectionsPerUser: number;
  conversations: ConversationPlan[];
  /** Deliveries each message must reach: every connection of every member, the sender's included. */
  fanout: number;
  startRate: number;
  maxRate: number;
}

/** Small groups of 5, one connection per user, each user in about two groups. */
export function smallGroups(quick: boolean): Topology {
  const users = quick ? 250 : 1000;
  const random = seededRandom(1);
  const conversations: ConversationPlan[] = [];
  for (let g = 0; g < (users * 2) / 5; g++) {
    const members = new Set<number>();
    while (members.size < 5) members.add(Math.floor(random() * users));
    conversations.push({ members: [...members] });
  }
  return { name: 'small-groups', title: 'Small groups (5 members, 1 connection each)', users, connectionsPerUser: 1, conversations, fanout: 5, startRate: 100, maxRate: 100_000 };
}

/** Direct messages: each user in two 1:1 conversations (a ring), three devices per user. */
export function directMessages(quick: boolean): Topology {
  const users = quick ? 150 : 600;
  const conversations = Array.from({ length: users }, (_, i) => ({ members: [i, (i + 1) % users] }));
  return { name: 'direct-messages', title: 'Direct messages (3 devices per user)', users, connectionsPerUser: 3, conversations, fanout: 6, startRate: 100, maxRate: 100_000 };
}

/** One room of 500 members, one connection each. */
export function largeRoom(_quick: boolean): Topology {
  const users = 500;
  const members = shuffle(Array.from({ length: users }, (_, i) => i), seededRandom(3));
  return { name: 'large-room', title: 'Large room (500 members)', users, connectionsPerUser: 1, conversations: [{ members }], fanout: 500, startRate: 10, maxRate: 20_000 };
}
