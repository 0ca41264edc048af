import type { DataSource, Repository } from 'typeorm';
import { Silence } from '../entities/silence.entity';
import { SilenceState } from '../entities/silence.types';
import { inOrderOf } from '../lib/maps';
import { isUuid } from '../lib/uuid';
import { rowsOf } from './sql-result';

export type NewSilence = Omit<Silence, 'id'>;

export interface SilenceListQuery {
  state?: SilenceState | null;
  /** The time the state is decided at. */
  at: Date;
  limit: number;
}

/** A silence after expireSilence, and whether that call is what ended it. */
export interface Expired {
  silence: Silence;
  /** It was active until now: it may have held notifications back. */
  endedActive: boolean;
}

/** Every statement names the table `s`. pg parses uuid[] but not arrays of our enum types. */
const COLUMNS = `s.id, s."workerIds", s."nameContains", s."awsRegion", s.kinds::text[] AS kinds,
  s.severities::text[] AS severities, s."startsAt", s."endsAt", s.comment, s."createdBy",
  s."createdAt"`;

/** The condition for being in `state` at the time in parameter `at` (e.g. `$1`). */
function inState(state: SilenceState, at: string): string {
  switch (state) {
    case SilenceState.PENDING:
      return `s."startsAt" > ${at}`;
    case SilenceState.ACTIVE:
      return `s."startsAt" <= ${at} AND s."endsAt" > ${at}`;
    case SilenceState.EXPIRED:
      return `s."endsAt" <= ${at}`;
  }
}

/** The only writer of `silence`. A silence is never deleted: an expired one is its record. */
export class SilenceRepository {
  private readonly silences: Repository<Silence>;

  constructor(dataSource: DataSource) {
    this.silences = dataSource.getRepository(Silence);
  }

  async insert(values: NewSilence): Promise<Silence> {
    const [row] = await rowsOf<Silence>(
      this.silences,
      `INSERT INTO silence AS s ("workerIds", "nameContains", "awsRegion", kinds, severities,
         "startsAt", "endsAt", comment, "createdBy", "createdAt")
       VALUES ($1::uuid[], $2, $3, $4::alert_kind[], $5::alert_severity[], $6, $7, $8, $9, $10)
       RETURNING ${COLUMNS}`,
      [
        values.workerIds,
        values.nameContains,
        values.awsRegion,
        values.kinds,
        values.severities,
        values.startsAt,
        values.endsAt,
        values.comment,
        values.createdBy,
        values.createdAt,
      ],
    );
    return this.silences.create(row);
  }

  /** Newest first, in the state asked at `at` (all of them when none is). */
  async list(query: SilenceListQuery): Promise<Silence[]> {
    const [where, parameters] = query.state
      ? [`WHERE ${inState(query.state, '$2')}`, [query.limit, query.at]]
      : ['', [query.limit]];
    const rows = await rowsOf<Silence>(
      this.silences,
      `SELECT ${COLUMNS} FROM silence AS s ${where}
       ORDER BY s."createdAt" DESC, s.id DESC
       LIMIT $1`,
      parameters,
    );
    return this.silences.create(rows);
  }

  /** In the order asked, null for an unknown id. */
  async findByIds(ids: readonly string[]): Promise<(Silence | null)[]> {
    const valid = ids.filter((id) => isUuid(id));
    const rows =
      valid.length > 0
        ? await rowsOf<Silence>(
            this.silences,
            `SELECT ${COLUMNS} FROM silence AS s WHERE s.id = ANY($1::uuid[])`,
            [valid],
          )
        : [];
    return inOrderOf(ids, this.silences.create(rows));
  }

  async activeAt(at: Date): Promise<Silence[]> {
    const rows = await rowsOf<Silence>(
      this.silences,
      `SELECT ${COLUMNS} FROM silence AS s
       WHERE ${inState(SilenceState.ACTIVE, '$1')}`,
      [at],
    );
    return this.silences.create(rows);
  }

  /**
   * Ends a silence at `at` unless it has ended already (then it is left as it is). A pending
   * one ends before it starts. Null for an unknown silence.
   */
  async expire(id: string, at: Date): Promise<Expired | null> {
    if (!isUuid(id)) {
      return null;
    }
    const [row] = await rowsOf<Silence & { endedActive: boolean }>(
      this.silences,
      `UPDATE silence AS s SET
         "endsAt" = CASE WHEN before.live THEN $2 ELSE s."endsAt" END,
         "startsAt" = CASE WHEN before.live THEN LEAST(s."startsAt", $2) ELSE s."startsAt" END
       FROM (
         SELECT id, "endsAt" > $2 AS live, "endsAt" > $2 AND "startsAt" <= $2 AS active
         FROM silence WHERE id = $1 FOR UPDATE
       ) AS before
       WHERE s.id = before.id
       RETURNING ${COLUMNS}, before.active AS "endedActive"`,
      [id, at],
    );
    if (!row) {
      return null;
    }
    const { endedActive, ...silence } = row;
    return { silence: this.silences.create(silence), endedActive };
  }
}
