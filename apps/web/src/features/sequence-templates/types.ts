import type { TaskPriority, TaskType } from '@forkflow/domain/sequence-template';

// What the builder needs from other parts of the app; the route supplies them (features
// don't import each other).

export type TaskTemplateOption = {
  id: string;
  name: string;
  type: TaskType;
  priority: TaskPriority;
  message_template_id: string | null;
  default_message: string | null;
  is_active: boolean;
};

export type MessageTemplateOption = {
  id: string;
  name: string;
  type: TaskType;
  is_active: boolean;
};

export type MemberOption = {
  id: string;
  name: string;
};
