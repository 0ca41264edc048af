import { ArrayMaxSize, ArrayMinSize, ValidateNested } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { ImportWorkerInput } from './import-worker.input';

export const IMPORT_BATCH_MAX = 500;

const SIZE_MESSAGE = `inputs must hold 1 to ${IMPORT_BATCH_MAX} instances`;

@ArgsType()
export class ImportWorkersArgs {
  @Field(() => [ImportWorkerInput])
  @ArrayMinSize(1, { message: SIZE_MESSAGE })
  @ArrayMaxSize(IMPORT_BATCH_MAX, { message: SIZE_MESSAGE })
  @ValidateNested()
  inputs: ImportWorkerInput[];
}
