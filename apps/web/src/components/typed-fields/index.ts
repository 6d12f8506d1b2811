export { TypedFields, fieldHint } from './typed-fields';
export { FileField, formatFileSize, uploadToWorkflowFiles, type FileUploader } from './file-field';
export {
  draftsFromValue,
  readFields,
  type FieldDraft,
  type FieldDrafts,
  type FieldsReading,
} from './read-fields';
